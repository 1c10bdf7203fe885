using Microsoft.Extensions.Configuration;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Sync;
using ReplicaSync.Sync.Checkpointing;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Daemon.Tests.Configuration;

/// <summary>Reading and validating the daemon's configuration in-process: defaults, paths, schedules and the problem list.</summary>
public sealed class SettingsReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("settings");

    public SettingsReaderTests()
    {
        File.WriteAllText(_dir.Combine("p.share"), """{"shareCredentialsVersion":1,"endpoint":"http://127.0.0.1:9/ds","bearerToken":"t"}""");
    }

    [Fact]
    public void A_minimal_config_gets_defaults_and_paths_relative_to_its_folder()
    {
        var settings = Read(new()
        {
            ["tables:orders:source"] = "p.share#s.d.orders",
            ["tables:orders:target"] = "replicas/orders",
            ["tables:orders:cron"] = "0 */5 * * * ?",
            ["tables:events:source"] = "p.share#s.d.events",
            ["tables:events:target"] = "events",
            ["tables:events:intervalSeconds"] = "30",
            ["tables:events:from"] = "0",
            ["tables:events:misfire"] = "skip",
        });

        Assert.Equal("http://127.0.0.1:8080", settings.Listen);
        Assert.Equal(4, settings.MaxConcurrentRuns);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.ShutdownGrace);
        Assert.Null(settings.OtlpEndpoint);
        var orders = settings.Tables.Single(t => t.Name == "orders");
        Assert.Equal(_dir.Combine("replicas", "orders"), orders.Target);
        Assert.Equal(_dir.Combine("p.share"), orders.Source.ProfilePath);
        Assert.Equal("0 */5 * * * ?", orders.Cron);
        Assert.Equal(MisfirePolicy.RunOnce, orders.Misfire);
        Assert.Equal(StartPoint.Latest, orders.From); // the default start: the current snapshot, not full history
        var events = settings.Tables.Single(t => t.Name == "events");
        Assert.Equal(_dir.Combine("events"), events.Target);
        Assert.Equal(TimeSpan.FromSeconds(30), events.Interval);
        Assert.Equal(StartPoint.FullHistory, events.From);
        Assert.Equal(MisfirePolicy.Skip, events.Misfire);
    }

    [Fact]
    public void Copy_knobs_reach_the_run_options_and_bad_ones_are_named()
    {
        var settings = Read(new()
        {
            ["copy:maxConcurrentFiles"] = "16",
            ["copy:partSizeMiB"] = "64",
            ["copy:bandwidthBytesPerSecond"] = "50000000",
            ["copy:byteBudgetPerRun"] = "1000000",
            ["copy:filesPerRequest"] = "5000",
            ["tables:a:source"] = "p.share#s.d.a",
            ["tables:a:target"] = "a",
            ["tables:a:intervalSeconds"] = "30",
        });
        var limiter = new ReplicaSync.Sync.Copy.BandwidthLimiter(settings.Copy.BandwidthBytesPerSecond!.Value);
        var options = settings.Copy.Apply(new SyncOptions(), limiter);
        // A configured count is fixed: the copy starts at it and does not grow past it.
        Assert.Equal((16, 16), (options.ConcurrentFilesAtStart, options.MaxConcurrentFiles));
        Assert.Equal(64L << 20, options.PartSize);
        Assert.Equal(new SyncOptions().StreamsPerFile, options.StreamsPerFile);
        Assert.Same(limiter, options.Bandwidth);
        Assert.Equal(1000000, options.ByteBudget);
        Assert.Equal(5000, options.FilesPerRequest);
        Assert.Equal(50000000, settings.Copy.BandwidthBytesPerSecond);

        var e = Assert.Throws<DaemonConfigException>(() => Read(new()
        {
            ["copy:partSizeMiB"] = "1",
            ["copy:streams"] = "2",
            ["copy:filesPerRequest"] = "0",
            ["tables:a:source"] = "p.share#s.d.a",
            ["tables:a:target"] = "a",
            ["tables:a:intervalSeconds"] = "30",
        }));
        Assert.Contains(e.Problems, p => p.Key == "copy:partSizeMiB" && p.Reason.Contains("from 5 to 5120"));
        Assert.Contains(e.Problems, p => p.Key == "copy:streams" && p.Reason.Contains("unknown setting"));
        Assert.Contains(e.Problems, p => p.Key == "copy:filesPerRequest");
    }

    [Fact]
    public void Without_copy_settings_the_files_in_flight_adapt_and_checkpoints_follow_the_default_policy()
    {
        var settings = Read(new() { ["tables:a:source"] = "p.share#s.d.a", ["tables:a:target"] = "a", ["tables:a:intervalSeconds"] = "30" });
        var options = settings.Copy.Apply(new SyncOptions(), null);
        Assert.Equal((8, 64), (options.ConcurrentFilesAtStart, options.MaxConcurrentFiles));
        Assert.Equal(new CheckpointPolicy(), settings.Checkpoints);
    }

    [Fact]
    public void The_checkpoint_policy_is_read_and_bad_values_are_named()
    {
        var settings = Read(new()
        {
            ["checkpoints:every"] = "50",
            ["checkpoints:intervalSeconds"] = "120",
            ["tables:a:source"] = "p.share#s.d.a",
            ["tables:a:target"] = "a",
            ["tables:a:intervalSeconds"] = "30",
        });
        Assert.Equal(new CheckpointPolicy { Every = 50, Interval = TimeSpan.FromMinutes(2) }, settings.Checkpoints);

        var e = Assert.Throws<DaemonConfigException>(() => Read(new()
        {
            ["checkpoints:every"] = "-1",
            ["checkpoints:often"] = "yes",
            ["tables:a:source"] = "p.share#s.d.a",
            ["tables:a:target"] = "a",
            ["tables:a:intervalSeconds"] = "30",
        }));
        Assert.Contains(e.Problems, p => p.Key == "checkpoints:every");
        Assert.Contains(e.Problems, p => p.Key == "checkpoints:often" && p.Reason.Contains("unknown setting"));
    }

    [Fact]
    public void Problems_are_all_collected_with_their_keys()
    {
        var e = Assert.Throws<DaemonConfigException>(() => Read(new()
        {
            ["listen"] = "tcp://0.0.0.0:1",
            ["startupJitterSeconds"] = "-1",
            ["otlp:protocol"] = "thrift",
            ["tables:a:source"] = "p.share#s.d.a",
            ["tables:a:target"] = "a",
            ["tables:a:intervalSeconds"] = "0",
            ["tables:b:source"] = "p.share#s.d.b",
            ["tables:b:target"] = "b",
            ["tables:b:cron"] = "0 0 * * * ?",
            ["tables:b:from"] = "yesterday",
            ["tables:b:misfire"] = "retry",
            ["tables:bad name!:source"] = "p.share#s.d.c",
        }));

        Assert.Equal(
            ["startupJitterSeconds", "otlp:protocol", "tables:a:intervalSeconds", "tables:b:from", "tables:b:misfire",
             "tables:bad name!", "tables:bad name!:target", "tables:bad name!:cron", "listen"],
            e.Problems.Select(p => p.Key));
    }

    [Fact]
    public void Two_tables_replicating_into_one_target_is_a_problem()
    {
        var e = Assert.Throws<DaemonConfigException>(() => Read(new()
        {
            ["tables:a:source"] = "p.share#s.d.a",
            ["tables:a:target"] = "same",
            ["tables:a:intervalSeconds"] = "60",
            ["tables:b:source"] = "p.share#s.d.b",
            ["tables:b:target"] = "same/",
            ["tables:b:intervalSeconds"] = "60",
        }));
        Assert.Equal("tables:b:target", Assert.Single(e.Problems).Key);
    }

    [Fact]
    public void No_tables_is_a_problem()
    {
        var e = Assert.Throws<DaemonConfigException>(() => Read([]));
        Assert.Equal("tables", Assert.Single(e.Problems).Key);
    }

    [Fact]
    public void The_commented_example_config_is_valid_apart_from_its_placeholder_profile()
    {
        var path = Path.Combine(TestPaths.RepoRoot, "config", "daemon.example.json");

        var e = Assert.Throws<DaemonConfigException>(() => new SettingsReader(SettingsReader.Load(path), Path.GetDirectoryName(path)!).Read());

        Assert.Equal(["tables:orders:source", "tables:customers:source"], e.Problems.Select(p => p.Key).Order(StringComparer.Ordinal).Reverse());
        Assert.All(e.Problems, p => Assert.StartsWith("unreadable profile", p.Reason, StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    private DaemonSettings Read(Dictionary<string, string?> values) =>
        new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), _dir.Path).Read();
}
