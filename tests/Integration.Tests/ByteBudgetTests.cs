using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// A run's byte budget stops it cleanly at a version boundary; each commit records what it cost to copy; a bandwidth
/// limiter shared by runs meters every byte they copy.
/// </summary>
public class ByteBudgetTests
{
    [Fact]
    public async Task A_run_stops_before_the_version_that_would_exceed_its_byte_budget_and_the_next_run_finishes()
    {
        using var provider = new TempDirectory("provider");
        await CopyFaultTests.BuildAsync(provider.Path, versions: 4, filesPerVersion: 3, (1000, 3000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        var log = new DeltaLog(new LocalObjectStore(provider.Path));
        var sizes = new Dictionary<long, long>();
        for (var v = 1; v <= 3; v++)
            sizes[v] = (await log.ReadCommitAsync(v, null, default)).Actions.OfType<AddFile>().Sum(a => a.Size);
        long BytesOf(long version) => sizes[version];
        var budget = BytesOf(1) + BytesOf(2) + BytesOf(3) / 2;
        using var replica = new TempDirectory("replica");

        var limited = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, new SyncOptions { ByteBudget = budget });

        Assert.False(limited.Reached);
        Assert.Equal(2, limited.EndVersion);
        Assert.Contains($"byte budget of {budget} bytes would be exceeded by version 3", limited.StoppedBecause);
        Assert.Equal(BytesOf(1) + BytesOf(2), limited.BytesCopied);
        Assert.True(limited.BytesCopied <= budget);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, sharing.Address("t").QualifiedName, upTo: 2);
        Assert.Equal(6, Directory.GetFiles(replica.Path, "*.parquet", SearchOption.AllDirectories).Length);

        var rest = await ReplicationTests.SyncAsync(sharing, "t", replica.Path);
        Assert.True(rest.Reached);
        Assert.Null(rest.StoppedBecause);
        Assert.Equal(BytesOf(3), rest.BytesCopied);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, sharing.Address("t").QualifiedName);

        // Egress accounting: each replica commit says what its version cost to copy.
        var replicaLog = new DeltaLog(new LocalObjectStore(replica.Path));
        for (var v = 1; v <= 3; v++)
        {
            var info = (await replicaLog.ReadCommitAsync(v, null, default)).Actions.OfType<CommitInfo>().Single();
            var metrics = info.Extra!["operationMetrics"];
            Assert.Equal(BytesOf(v).ToString(System.Globalization.CultureInfo.InvariantCulture), metrics.GetProperty("numCopiedBytes").GetString());
            Assert.Equal("3", metrics.GetProperty("numCopiedFiles").GetString());
        }
    }

    [Fact]
    public async Task A_snapshot_bigger_than_the_budget_is_not_started()
    {
        using var provider = new TempDirectory("provider");
        await CopyFaultTests.BuildAsync(provider.Path, versions: 2, filesPerVersion: 3, (1000, 3000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path }, historyShared: false);
        using var replica = new TempDirectory("replica");

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, new SyncOptions { ByteBudget = 100 });

        Assert.False(report.Reached);
        Assert.Contains("byte budget of 100 bytes", report.StoppedBecause);
        Assert.Empty(Directory.GetFileSystemEntries(replica.Path));
    }

    [Fact]
    public async Task One_bandwidth_limiter_shared_by_two_runs_meters_every_byte_both_copy()
    {
        using var provider = new TempDirectory("provider");
        await CopyFaultTests.BuildAsync(provider.Path, versions: 3, filesPerVersion: 3, (1000, 3000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        using var first = new TempDirectory("replica-1");
        using var second = new TempDirectory("replica-2");
        // A manual clock never advances, so the bucket's one second of credit runs out and every later read is
        // told to wait; the delay is recorded and skipped, so the test does not depend on time.
        var waits = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();
        var limiter = new ReplicaSync.Sync.Copy.BandwidthLimiter(1000, new ManualClock(), (wait, _) =>
        {
            waits.Add(wait);
            return Task.CompletedTask;
        });
        var options = new SyncOptions { Bandwidth = limiter, RetryBaseDelay = TimeSpan.FromMilliseconds(10) };

        var reports = await Task.WhenAll(
            ReplicationTests.SyncAsync(sharing, "t", first.Path, options),
            ReplicationTests.SyncAsync(sharing, "t", second.Path, options));

        Assert.All(reports, r => Assert.True(r.Reached));
        Assert.Equal(reports.Sum(r => r.BytesCopied), limiter.Granted);
        Assert.NotEmpty(waits);
        Assert.Equal(limiter.Waited, TimeSpan.FromTicks(waits.Sum(w => w.Ticks)));
        await ReplicaComparer.AssertAlignedAsync(provider.Path, first.Path, sharing.Address("t").QualifiedName);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, second.Path, sharing.Address("t").QualifiedName);
    }

    [Fact]
    public async Task The_cli_takes_copy_knobs_and_says_why_it_stopped_early()
    {
        using var provider = new TempDirectory("provider");
        await CopyFaultTests.BuildAsync(provider.Path, versions: 3, filesPerVersion: 2, (1000, 3000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        using var replica = new TempDirectory("replica");
        var address = sharing.Address("t").ToString();

        var limited = await CliProcess.RunAsync("sync", "--table", address, "--target", replica.Path, "--from", "0",
            "--byte-budget", "1", "--max-files", "2", "--streams-per-file", "1", "--bandwidth", "100000000");

        Assert.Equal(1, limited.ExitCode);
        // Version 0 only creates the table (no files); version 1 is the first that needs bytes.
        Assert.Contains("replica at version 0 (provider at 2)", limited.Stdout);
        Assert.Contains("stopped early: the run's byte budget of 1 bytes would be exceeded by version 1", limited.Stdout);
        Assert.Empty(Directory.GetFiles(replica.Path, "*.parquet", SearchOption.AllDirectories));

        var rejected = await CliProcess.RunAsync("sync", "--table", address, "--target", replica.Path, "--max-files", "0");
        var rest = await CliProcess.RunAsync("sync", "--table", address, "--target", replica.Path, "--part-size-mib", "8");
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("--max-files must be more than 0", rejected.Stderr);
        Assert.True(rest.ExitCode == 0, rest.ToString());
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, sharing.Address("t").QualifiedName);
    }
}
