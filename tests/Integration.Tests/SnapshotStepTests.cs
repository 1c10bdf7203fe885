using ReplicaSync.Delta;
using ReplicaSync.SharingServer;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// A table shared without history, followed by snapshot steps against the SharingServer with history off: each run
/// copies only the new files and writes one commit and one checkpoint at the provider's latest version.
/// </summary>
public class SnapshotStepTests
{
    private const string Table = "share.default.t";
    private static readonly SyncOptions Fast = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(10), From = StartPoint.Latest };

    [Fact]
    public async Task Appends_a_delete_and_an_optimize_are_followed_by_steps_that_copy_only_new_files()
    {
        using var provider = new TempDirectory("provider");
        using var replica = new TempDirectory("replica");
        var table = new ProviderTableBuilder(provider.Path);
        await table.CreateAsync("a", "b");
        await table.AppendAsync("a", null);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path }, historyShared: false);

        var first = await SyncAsync(sharing, replica.Path);
        Assert.Equal("snapshot at version 1", first.Began);
        await StepReplicaCheck.AssertHeldAlignedAsync(provider.Path, replica.Path, Table, 1);

        // Appends: the step copies the two new files only. The first follow-up learns from the provider's 400 (and
        // the history probe) that there is no history.
        await table.AppendAsync("c");
        await table.AppendAsync("a");
        var second = await SyncAsync(sharing, replica.Path);
        var step = Assert.Single(second.Versions);
        Assert.Equal((3L, 1L, 2, 0, 2L), (step.Version, step.StepFrom!.Value, step.FilesAdded, step.FilesRemoved, step.FilesCopied));
        await StepReplicaCheck.AssertHeldAlignedAsync(provider.Path, replica.Path, Table, 1, 3);
        var commit = await new DeltaLog(new LocalObjectStore(replica.Path)).ReadCommitAsync(3, null, default);
        Assert.Equal(1, ReplicaCommit.StepFrom(commit));

        // A delete and an OPTIMIZE: removes and the compacted file in one step. The replica now knows it follows by
        // steps, so the run asks for nothing but the version and the latest snapshot.
        await table.DeleteAsync(1);
        await table.OptimizeAsync("a");
        var queries = sharing.Host.Faults.RequestCount(RequestKind.Query);
        var third = await SyncAsync(sharing, replica.Path);
        step = Assert.Single(third.Versions);
        Assert.Equal((5L, 3L, 1L), (step.Version, step.StepFrom!.Value, step.FilesCopied));
        Assert.True(step.FilesRemoved >= 2, $"the delete and the OPTIMIZE remove files, but the step removed {step.FilesRemoved}");
        Assert.Equal(queries + 1, sharing.Host.Faults.RequestCount(RequestKind.Query));
        await StepReplicaCheck.AssertHeldAlignedAsync(provider.Path, replica.Path, Table, 1, 3, 5);
        Assert.Equal("snapshot steps at 1, 3, 5", await HeldVersions.ReadAsync(new LocalObjectStore(replica.Path), default));

        // Nothing new: nothing is asked for beyond the version, nothing written.
        queries = sharing.Host.Faults.RequestCount(RequestKind.Query);
        Assert.Empty((await SyncAsync(sharing, replica.Path)).Versions);
        Assert.Equal(queries, sharing.Host.Faults.RequestCount(RequestKind.Query));
    }

    [Fact]
    public async Task A_run_killed_before_the_step_commit_leaves_the_replica_as_it_was_and_the_next_run_reuses_the_copies()
    {
        using var provider = new TempDirectory("provider");
        using var replica = new TempDirectory("replica");
        var table = new ProviderTableBuilder(provider.Path);
        await table.CreateAsync("a");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path }, historyShared: false);
        await SyncAsync(sharing, replica.Path);
        await table.AppendAsync("a", "b");
        await table.DeleteAsync(1);

        var killed = Fast with { BeforeCommit = (_, _) => throw new IOException("killed before the commit") };
        await Assert.ThrowsAsync<IOException>(() => SyncAsync(sharing, replica.Path, killed));
        await StepReplicaCheck.AssertHeldAlignedAsync(provider.Path, replica.Path, Table, 0);

        var step = Assert.Single((await SyncAsync(sharing, replica.Path)).Versions);
        Assert.Equal((2L, 0L, 2L), (step.Version, step.FilesCopied, step.FilesReused));
        await StepReplicaCheck.AssertHeldAlignedAsync(provider.Path, replica.Path, Table, 0, 2);
    }

    [Theory]
    [InlineData("00000000000000000002.checkpoint.parquet")]
    [InlineData("_last_checkpoint")]
    public async Task A_run_killed_after_the_step_commit_is_completed_by_the_next_run(string killedBefore)
    {
        using var provider = new TempDirectory("provider");
        using var replica = new TempDirectory("replica");
        var table = new ProviderTableBuilder(provider.Path);
        await table.CreateAsync("a", "b");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path }, historyShared: false);
        await SyncAsync(sharing, replica.Path);
        await table.AppendAsync("c");
        await table.OptimizeAsync("a");

        var failing = new WriteFailingStore(new LocalObjectStore(replica.Path), LogFileNames.LogDir + killedBefore);
        await Assert.ThrowsAsync<IOException>(() => SyncAsync(sharing, failing));
        Assert.True(File.Exists(Path.Combine(replica.Path, "_delta_log", "00000000000000000002.json")));
        Assert.Equal(killedBefore == "_last_checkpoint", File.Exists(Path.Combine(replica.Path, "_delta_log", "00000000000000000002.checkpoint.parquet")));
        Assert.Equal(0, LastCheckpoint.TryParse(await File.ReadAllBytesAsync(Path.Combine(replica.Path, "_delta_log", "_last_checkpoint")))!.Version);

        // The next run replays checkpoint 0 + step commit 2 and writes the missing checkpoint (or reads the one there
        // despite the stale hint), and has nothing else to do.
        var report = await SyncAsync(sharing, replica.Path);
        Assert.Empty(report.Versions);
        Assert.Equal(2, report.EndVersion);
        await StepReplicaCheck.AssertHeldAlignedAsync(provider.Path, replica.Path, Table, 0, 2);

        await table.DeleteAsync(1);
        Assert.Equal(3, Assert.Single((await SyncAsync(sharing, replica.Path)).Versions).Version);
        await StepReplicaCheck.AssertHeldAlignedAsync(provider.Path, replica.Path, Table, 0, 2, 3);
    }

    [Fact]
    public async Task A_new_replica_says_what_its_start_will_copy_before_copying()
    {
        using var provider = new TempDirectory("provider");
        var table = new ProviderTableBuilder(provider.Path);
        await table.CreateAsync("a", "b");
        await table.AppendAsync("a");
        await table.OptimizeAsync("a");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        var live = table.LiveFiles.ToList();

        using var latest = new TempDirectory("replica");
        var observer = new StartObserver();
        await SyncAsync(sharing, latest.Path, Fast with { Observer = observer });
        Assert.Equal(new StartCost("snapshot at version 2", 1, live.Count, live.Sum(f => f.Size)), observer.Cost);
        Assert.Equal(0, observer.FilesCopiedBeforeStart);

        // Full history copies every file the feed adds, the compacted-away ones included.
        using var full = new TempDirectory("replica");
        observer = new StartObserver();
        await SyncAsync(sharing, full.Path, Fast with { From = StartPoint.FullHistory, Observer = observer });
        var added = await AddedByFeedAsync(provider.Path);
        Assert.Equal(new StartCost("full history from version 0", 3, added.Files, added.Bytes), observer.Cost);
        Assert.True(observer.Cost!.Bytes > live.Sum(f => f.Size));
        Assert.Equal(0, observer.FilesCopiedBeforeStart);
    }

    /// <summary>Files and bytes the provider's commits add with dataChange=true: what the change feed shows.</summary>
    private static async Task<(long Files, long Bytes)> AddedByFeedAsync(string root)
    {
        var log = new DeltaLog(new LocalObjectStore(root));
        var adds = new List<AddFile>();
        await foreach (var commit in log.ReadCommitsAsync(0, (await log.LatestVersionAsync(default))!.Value, default))
            adds.AddRange(commit.Actions.OfType<AddFile>().Where(a => a.DataChange));
        return (adds.Count, adds.Sum(a => a.Size));
    }

    private static Task<SyncReport> SyncAsync(SharingFixture sharing, string target, SyncOptions? options = null) =>
        SyncAsync(sharing, new LocalObjectStore(target), options);

    private static async Task<SyncReport> SyncAsync(SharingFixture sharing, IObjectStore target, SyncOptions? options = null)
    {
        using var client = sharing.Client();
        using var http = FileHttp.CreateClient();
        return await new SyncEngine(client, target, http, options ?? Fast).RunAsync(sharing.Address("t"), null, null, default);
    }

    /// <summary>Records the announced start cost and how many files were copied before it was announced.</summary>
    private sealed class StartObserver : ISyncObserver
    {
        private int _copied;
        public StartCost? Cost { get; private set; }
        public int FilesCopiedBeforeStart { get; private set; } = -1;

        public void StartPlanned(StartCost cost)
        {
            Cost = cost;
            FilesCopiedBeforeStart = Volatile.Read(ref _copied);
        }

        public void FileCopied(long bytes, bool reused) => Interlocked.Increment(ref _copied);
    }
}
