using System.Net;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Delta;
using ReplicaSync.Integration.Tests.Daemon;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary><c>replicasync init</c> as a real process: the config it writes is accepted as is, and a real run of it replicates.</summary>
public class InitCliTests
{
    [Fact]
    public async Task Init_writes_a_config_the_validator_accepts_and_that_a_daemon_runs_as_is()
    {
        await using var sharing = await OAuthSharing.StartAsync();
        using var work = new TempDirectory("init");
        var configPath = work.Combine("conf", "replicasync.json");
        var root = work.Combine("replicas");

        var result = await CliProcess.RunAsync("init", "--profile", sharing.ProfilePath, "--target-root", root, "--tables", "sales.*.*", "--config", configPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("with 4 table(s)", result.Stdout);
        var text = File.ReadAllText(configPath);
        Assert.Contains("// ", text);
        Assert.DoesNotContain(OAuthSharing.Secret, text);
        // The profile is written relative to the config file's folder.
        var relativeProfile = Path.GetRelativePath(Path.GetDirectoryName(configPath)!, sharing.ProfilePath);
        Assert.StartsWith("..", relativeProfile);
        Assert.Contains($"\"source\": \"{relativeProfile}#sales.default.simple_table\"", text);
        var settings = new SettingsReader(SettingsReader.Load(configPath), Path.GetDirectoryName(configPath)!).Read();
        Assert.Equal(["sales.archive.partitioned", "sales.default.changes", "sales.default.no_history", "sales.default.simple_table"],
            settings.Tables.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(settings.Tables, t =>
        {
            Assert.Equal(StartPoint.Latest, t.From);
            Assert.Equal(Path.Combine(root, t.Source.Share, t.Source.Schema, t.Source.Table), t.Target);
            Assert.Equal(sharing.ProfilePath, t.Source.ProfilePath);
            Assert.NotNull(t.Cron);
        });

        using var daemon = await DaemonProcess.StartUnchangedAsync(configPath);
        Assert.Equal(HttpStatusCode.Accepted, (await daemon.Http.PostAsync("/tables/sales.default.simple_table/sync", null)).StatusCode);
        var latest = await OAuthSharing.LatestVersionAsync("simple_table");
        await daemon.WaitForReplicaVersionAsync("sales.default.simple_table", latest);
        await daemon.TerminateAsync();

        var replica = await new DeltaLog(new LocalObjectStore(Path.Combine(root, "sales", "default", "simple_table"))).LoadSnapshotAsync(null, default);
        Assert.Equal(latest, replica!.Version);
        Assert.DoesNotContain(daemon.Output, l => l.Contains(OAuthSharing.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Init_refuses_to_overwrite_without_force_and_joins_URL_roots_with_slashes()
    {
        await using var sharing = await OAuthSharing.StartAsync();
        using var work = new TempDirectory("init-force");
        var configPath = work.Combine("replicasync.json");
        File.WriteAllText(configPath, "keep me");

        var refused = await CliProcess.RunAsync("init", "--profile", sharing.ProfilePath, "--target-root", "s3://bucket/replicas/", "--config", configPath);
        var forced = await CliProcess.RunAsync("init", "--profile", sharing.ProfilePath, "--target-root", "s3://bucket/replicas/", "--config", configPath,
            "--tables", "*.*.simple*,ops.*.*", "--force");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists; pass --force", refused.Stderr);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        var text = File.ReadAllText(configPath);
        Assert.Contains("\"target\": \"s3://bucket/replicas/sales/default/simple_table\"", text);
        Assert.Contains("\"target\": \"s3://bucket/replicas/ops/logs/checkpointed\"", text);
        Assert.DoesNotContain("no_history", text);
        Assert.Empty(Directory.GetFiles(work.Path, "*.tmp-*"));
    }

    [Fact]
    public async Task Init_with_a_glob_matching_nothing_writes_nothing_and_says_how_many_tables_exist()
    {
        await using var sharing = await OAuthSharing.StartAsync();
        using var work = new TempDirectory("init-none");
        var configPath = work.Combine("replicasync.json");

        var result = await CliProcess.RunAsync("init", "--profile", sharing.ProfilePath, "--target-root", work.Path, "--tables", "nope.*", "--config", configPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"no table matches --tables 'nope.*' (the profile grants {OAuthSharing.Tables.Length}", result.Stderr);
        Assert.False(File.Exists(configPath));
    }
}
