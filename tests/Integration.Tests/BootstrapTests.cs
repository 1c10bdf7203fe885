using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>Starting a replica from a provider snapshot.</summary>
public class BootstrapTests
{
    private static readonly SyncOptions Fast = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(10) };

    private static string[] LogFiles(string root) =>
        Directory.GetFiles(Path.Combine(root, "_delta_log")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public async Task From_latest_starts_with_a_checkpoint_and_no_commits()
    {
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["simple"] = TestPaths.Table("simple_table") });
        using var replica = new TempDirectory("replica");
        var report = await ReplicationTests.SyncAsync(sharing, "simple", replica.Path, Fast with { From = StartPoint.Latest });

        Assert.Equal("snapshot at version 4", report.Began);
        Assert.Equal(["00000000000000000004.checkpoint.parquet", "_last_checkpoint"], LogFiles(replica.Path));
        Assert.Equal(5, Assert.Single(report.Versions).FilesCopied);
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table("simple_table"), replica.Path, "share.default.simple");

        // An independent reader (DuckDB) reads the checkpoint the replica starts with: the same live files and the txn.
        var checkpoint = Path.Combine(replica.Path, "_delta_log", "00000000000000000004.checkpoint.parquet");
        var rows = NodeReaders.Read(NodeReaders.DuckDb, [checkpoint]).Rows(checkpoint, NodeReaders.DuckDb).Select(r => r!.AsObject()).ToList();
        var snapshot = await new DeltaLog(new LocalObjectStore(replica.Path)).LoadSnapshotAsync(null, default);
        Assert.Equal(snapshot!.Files.Keys.Select(k => k.Path).Order(StringComparer.Ordinal),
            rows.Select(r => r["add"]).OfType<System.Text.Json.Nodes.JsonObject>().Select(a => (string)a["path"]!).Order(StringComparer.Ordinal));
        var txn = Assert.Single(rows.Select(r => r["txn"]).OfType<System.Text.Json.Nodes.JsonObject>());
        Assert.Equal(("replicasync:share.default.simple", "4"), ((string)txn["appId"]!, (string)txn["version"]!));
    }

    [Fact]
    public async Task From_a_version_continues_with_ordinary_commits_after_it()
    {
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["simple"] = TestPaths.Table("simple_table") });
        using var replica = new TempDirectory("replica");
        var report = await ReplicationTests.SyncAsync(sharing, "simple", replica.Path, Fast with { From = new StartPoint(StartKind.Version, 2) });

        Assert.Equal([2L, 3L, 4L], report.Versions.Select(v => v.Version));
        Assert.Equal(["00000000000000000002.checkpoint.parquet", "00000000000000000003.json", "00000000000000000004.json", "_last_checkpoint"],
            LogFiles(replica.Path));
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table("simple_table"), replica.Path, "share.default.simple");
    }

    [Fact]
    public async Task By_default_a_table_without_shared_history_is_bootstrapped_and_one_with_history_is_not()
    {
        await using var noHistory = await SharingFixture.StartAsync(new Dictionary<string, string> { ["simple"] = TestPaths.Table("simple_table") }, historyShared: false);
        using var first = new TempDirectory("replica");
        var report = await ReplicationTests.SyncAsync(noHistory, "simple", first.Path);
        Assert.Equal("snapshot at version 4", report.Began);
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table("simple_table"), first.Path, "share.default.simple");

        await using var withHistory = await SharingFixture.StartAsync(new Dictionary<string, string> { ["simple"] = TestPaths.Table("simple_table") });
        using var second = new TempDirectory("replica");
        report = await ReplicationTests.SyncAsync(withHistory, "simple", second.Path);
        Assert.Equal("full history from version 0", report.Began);
        Assert.Equal(5, report.Versions.Count);
    }

    [Fact]
    public async Task A_bootstrapped_replica_follows_later_provider_versions()
    {
        using var provider = new TempDirectory("provider");
        using var replica = new TempDirectory("replica");
        var table = new ProviderTableBuilder(provider.Path);
        await table.CreateAsync("a", "b");
        await table.AppendAsync("a", null);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { From = StartPoint.Latest });

        await table.DeleteAsync(1);
        await table.OptimizeAsync("a");
        await table.AppendAsync("c");
        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast);

        Assert.Null(report.Began);
        Assert.Equal([2L, 3L, 4L], report.Versions.Select(v => v.Version));
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, "share.default.t");
    }
}
