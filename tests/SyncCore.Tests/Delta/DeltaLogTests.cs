using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Delta;

public class DeltaLogTests
{
    private static DeltaLog Open(string table) => new(new LocalObjectStore(TestPaths.Table(table)));

    [Fact]
    public async Task Simple_table_replays_to_the_files_delta_rs_expects()
    {
        // Expected live files from delta-rs's own test of this table (independent of this code).
        var snapshot = await Open("simple_table").LoadSnapshotAsync(null, default);
        Assert.NotNull(snapshot);
        Assert.Equal(4, snapshot.Version);
        Assert.Equal(
            [
                "part-00000-2befed33-c358-4768-a43c-3eda0d2a499d-c000.snappy.parquet",
                "part-00000-c1777d7d-89d9-4790-b38a-6ee7e24456b1-c000.snappy.parquet",
                "part-00001-7891c33d-cedc-47c3-88a6-abcfb049d3b4-c000.snappy.parquet",
                "part-00004-315835fe-fb44-4562-98f6-5e6cfa3ae45d-c000.snappy.parquet",
                "part-00007-3a0e4727-de0d-41b6-81ef-5223cf40f025-c000.snappy.parquet",
            ],
            snapshot.Files.Keys.Select(k => k.Path).Order(StringComparer.Ordinal));
        Assert.Equal(1811, snapshot.SizeInBytes);
        Assert.Equal(1, snapshot.Protocol!.MinReaderVersion);
    }

    [Fact]
    public async Task Replay_stops_at_the_version_asked_for()
    {
        var v0 = await Open("simple_table").LoadSnapshotAsync(0, default);
        Assert.Equal(0, v0!.Version);
        Assert.Equal(6, v0.Files.Count);
        Assert.Equal(1587968586154, v0.Timestamp);
    }

    [Fact]
    public async Task Deletion_vector_replacement_keys_files_by_path_and_dv()
    {
        var snapshot = await Open("table-with-dv-small").LoadSnapshotAsync(null, default);
        var (key, add) = Assert.Single(snapshot!.Files);
        Assert.Equal("uvBn[lx{q8@P<9BNH/isA@1", key.DeletionVectorId);
        Assert.Equal(2, add.DeletionVector!.Cardinality);
        Assert.Equal(3, snapshot.Protocol!.MinReaderVersion);
        Assert.Contains(snapshot.Tombstones.Keys, k => k.DeletionVectorId is null);
    }

    [Fact]
    public async Task A_gap_in_the_log_is_an_error()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        var writer = new CommitWriter(store);
        await writer.WriteAsync(0, TestTables.CreateActions(), default);
        await writer.WriteAsync(2, [new CommitInfo { Timestamp = 2 }], default);
        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => new DeltaLog(store).LoadSnapshotAsync(null, default));
        Assert.Contains("commit 1 is missing", e.Message);
    }

    [Fact]
    public async Task A_malformed_commit_names_the_file_and_line()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("_delta_log"));
        await File.WriteAllTextAsync(dir.Combine("_delta_log", "00000000000000000000.json"),
            "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n{\"add\":{oops}\n");
        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => new DeltaLog(new LocalObjectStore(dir.Path)).LoadSnapshotAsync(null, default));
        Assert.Contains("00000000000000000000.json line 2", e.Message);
    }

    [Fact]
    public async Task Commit_timestamp_prefers_in_commit_timestamp_then_commit_info()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        await new CommitWriter(store).WriteAsync(0, [new CommitInfo { Timestamp = 100, InCommitTimestamp = 200 }, .. TestTables.CreateActions()], default);
        await new CommitWriter(store).WriteAsync(1, [new CommitInfo { Timestamp = 300 }], default);
        var log = new DeltaLog(store);
        Assert.Equal(200, (await log.ReadCommitAsync(0, null, default)).Timestamp);
        Assert.Equal(300, (await log.ReadCommitAsync(1, null, default)).Timestamp);
    }
}
