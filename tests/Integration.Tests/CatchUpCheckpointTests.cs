using System.Text.Json.Nodes;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.Sync.Checkpointing;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// The checkpoints a catch-up leaves: written behind the commits by policy (at most one per N commits, one at the end
/// of the run), readable by our reader and by DuckDB, and a failed checkpoint write leaves a valid table.
/// </summary>
public class CatchUpCheckpointTests
{
    private static readonly SyncOptions Fast = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(10), From = StartPoint.FullHistory };

    /// <summary>No checkpoint is due by time during these runs, so only the end of a run can write one.</summary>
    private static readonly CheckpointPolicy EndOnly = new() { Every = 10, Interval = TimeSpan.FromHours(1) };

    [Fact]
    public async Task A_catch_up_checkpoints_at_most_once_per_n_commits_and_at_its_end()
    {
        using var provider = new TempDirectory("provider");
        using var replica = new TempDirectory("replica");
        await BuildAsync(provider.Path, versions: 43);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });

        // No time limit between checkpoints: the stage checkpoints whenever 5 commits have landed since its last one.
        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { Checkpoints = new CheckpointPolicy { Every = 5, Interval = TimeSpan.Zero } });

        Assert.Equal(42, report.EndVersion);
        var checkpoints = Checkpoints(replica.Path);
        Assert.InRange(checkpoints.Count, 1, (43 + 4) / 5 + 1);
        Assert.All(checkpoints.Prepend(-1).Zip(checkpoints), pair => Assert.True(pair.Second - pair.First >= 5, $"checkpoints {pair.First} and {pair.Second}"));
        Assert.InRange(checkpoints[^1], 42 - 4, 42);
        Assert.Equal(checkpoints[^1], (await HintAsync(replica.Path))!.Version);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, "share.default.t");
        await AssertDuckDbReadsAsync(replica.Path, checkpoints[^1]);
    }

    [Fact]
    public async Task A_run_ends_with_a_checkpoint_once_n_commits_follow_the_last_one()
    {
        using var provider = new TempDirectory("provider");
        using var replica = new TempDirectory("replica");
        var table = await BuildAsync(provider.Path, versions: 25);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });

        await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { Checkpoints = EndOnly });
        Assert.Equal([24L], Checkpoints(replica.Path));
        await AssertDuckDbReadsAsync(replica.Path, 24);

        // Fewer than 10 commits after checkpoint 24: no checkpoint. The run that makes it 10 ends with one.
        for (var i = 0; i < 9; i++)
            await table.AppendAsync("b");
        await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { Checkpoints = EndOnly });
        Assert.Equal([24L], Checkpoints(replica.Path));
        await table.AppendAsync("c");
        await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { Checkpoints = EndOnly });
        Assert.Equal([24L, 34L], Checkpoints(replica.Path));
        Assert.Equal(34, (await HintAsync(replica.Path))!.Version);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, "share.default.t");
    }

    [Fact]
    public async Task Checkpoints_can_be_turned_off()
    {
        using var provider = new TempDirectory("provider");
        using var replica = new TempDirectory("replica");
        await BuildAsync(provider.Path, versions: 12);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });

        await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { Checkpoints = CheckpointPolicy.Never });

        Assert.Empty(Checkpoints(replica.Path));
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, "share.default.t");
    }

    [Theory]
    [InlineData("00000000000000000011.checkpoint.parquet")]
    [InlineData("_last_checkpoint")]
    public async Task A_run_killed_while_checkpointing_leaves_a_valid_table(string killedBefore)
    {
        using var provider = new TempDirectory("provider");
        using var replica = new TempDirectory("replica");
        var table = await BuildAsync(provider.Path, versions: 12);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });

        using (var client = sharing.Client())
        using (var http = FileHttp.CreateClient())
        {
            var failing = new WriteFailingStore(new LocalObjectStore(replica.Path), LogFileNames.LogDir + killedBefore);
            await Assert.ThrowsAsync<IOException>(() =>
                new SyncEngine(client, failing, http, Fast with { Checkpoints = EndOnly }).RunAsync(sharing.Address("t"), null, null, default));
        }

        // Every commit is in; the hint never points at a checkpoint that is not complete.
        Assert.Equal(killedBefore == "_last_checkpoint" ? [11L] : [], Checkpoints(replica.Path));
        Assert.Null(await HintAsync(replica.Path));
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, "share.default.t");

        await table.AppendAsync("c");
        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { Checkpoints = EndOnly });
        Assert.Equal([12L], report.Versions.Select(v => v.Version));
        // Without a checkpoint the next run's end writes one; the complete checkpoint 11 with no hint is found by listing.
        var expected = killedBefore == "_last_checkpoint" ? 11L : 12L;
        Assert.Equal([expected], Checkpoints(replica.Path));
        Assert.Equal(expected, (await LogSegment.BuildAsync(new LocalObjectStore(replica.Path), null, default))!.Checkpoint!.Version);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, "share.default.t");
    }

    /// <summary>A provider table of <paramref name="versions"/> versions: a create, then appends and some deletes.</summary>
    private static async Task<ProviderTableBuilder> BuildAsync(string root, int versions)
    {
        var table = new ProviderTableBuilder(root) { FileSizes = (100, 400) };
        await table.CreateAsync("a", "b");
        for (var v = 1; v < versions; v++)
        {
            if (v % 7 == 0)
                await table.DeleteAsync(1);
            else
                await table.AppendAsync(v % 2 == 0 ? "a" : "b");
        }
        return table;
    }

    private static List<long> Checkpoints(string root) =>
        Directory.GetFiles(Path.Combine(root, "_delta_log"), "*.checkpoint.parquet")
            .Select(f => LogFileNames.ParseCheckpoint(LogFileNames.LogDir + Path.GetFileName(f)).Version!.Value).Order().ToList();

    private static async Task<LastCheckpoint?> HintAsync(string root)
    {
        var path = Path.Combine(root, "_delta_log", "_last_checkpoint");
        return File.Exists(path) ? LastCheckpoint.TryParse(await File.ReadAllBytesAsync(path)) : null;
    }

    /// <summary>DuckDB reads checkpoint <paramref name="version"/>: the live files of that version and the replica's txn.</summary>
    private static async Task AssertDuckDbReadsAsync(string root, long version)
    {
        var checkpoint = Path.Combine(root, "_delta_log", $"{version:D20}.checkpoint.parquet");
        var rows = NodeReaders.Read(NodeReaders.DuckDb, [checkpoint]).Rows(checkpoint, NodeReaders.DuckDb).Select(r => r!.AsObject()).ToList();
        var snapshot = await new DeltaLog(new LocalObjectStore(root)).LoadSnapshotAsync(version, default);
        Assert.Equal(snapshot!.Files.Keys.Select(k => k.Path).Order(StringComparer.Ordinal),
            rows.Select(r => r["add"]).OfType<JsonObject>().Select(a => (string)a["path"]!).Order(StringComparer.Ordinal));
        var txn = Assert.Single(rows.Select(r => r["txn"]).OfType<JsonObject>());
        Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)txn["version"]!);
    }
}
