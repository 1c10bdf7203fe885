using ReplicaSync.Delta;
using Parquet;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Delta;

/// <summary>The slim snapshot and the full adds scanned back from the log: they must describe the same live files.</summary>
public class LiveAddScanTests
{
    private static AddFile Add(string path, string stats) => new()
    {
        Path = path, PartitionValues = new() { ["p"] = "x" }, Size = path.Length, ModificationTime = 1, DataChange = true,
        Stats = stats, Tags = new() { ["t"] = stats },
    };

    private static RemoveFile Remove(string path) => new() { Path = path, DeletionTimestamp = 5, DataChange = true, Stats = "{}", Tags = new() { ["t"] = "r" } };

    /// <summary>
    /// v0 adds a, b, c; v1 removes b (checkpointed); v2 adds a again with new stats, and d; v3 removes d.
    /// </summary>
    private static async Task<DeltaLog> TableAsync(TempDirectory dir)
    {
        var store = new LocalObjectStore(dir.Path);
        var commits = new CommitWriter(store);
        await commits.WriteAsync(0, [
            new CommitInfo { Timestamp = 1 }, new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 },
            new Metadata { Id = "t", SchemaString = """{"type":"struct","fields":[]}""", PartitionColumns = ["p"] },
            Add("a", "a0"), Add("b", "b0"), Add("c", "c0")], default);
        await commits.WriteAsync(1, [new CommitInfo { Timestamp = 2 }, Remove("b")], default);
        var log = new DeltaLog(store);
        var at1 = (await LogSegment.BuildAsync(store, 1, default))!;
        await CheckpointWriter.WriteAsync(store, await log.ReplayAsync(at1, default), log.ScanLiveAddsAsync(at1, default), default);
        await commits.WriteAsync(2, [new CommitInfo { Timestamp = 3 }, Add("a", "a2"), Add("d", "d2")], default);
        await commits.WriteAsync(3, [new CommitInfo { Timestamp = 4 }, Remove("d")], default);
        return log;
    }

    private static async Task<List<string>> ScanAsync(DeltaLog log, long version)
    {
        var segment = (await LogSegment.BuildAsync(log.Store, version, default))!;
        var adds = await log.ScanLiveAddsAsync(segment, default).ToListAsync();
        var snapshot = await log.ReplayAsync(segment, default);
        Assert.Equal(snapshot.Files.Keys.Select(k => k.Path).Order(StringComparer.Ordinal), adds.Select(a => a.Key.Path).Order(StringComparer.Ordinal));
        return adds.Select(a => $"{a.Path}:{a.Stats}:{a.Tags!["t"]}").Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task The_scan_yields_the_newest_add_of_each_live_file_across_commits_and_checkpoint()
    {
        using var dir = new TempDirectory("scan");
        var log = await TableAsync(dir);
        Assert.Equal(1, (await LogSegment.BuildAsync(log.Store, 3, default))!.Checkpoint!.Version);
        Assert.Equal(["a:a0:a0", "b:b0:b0", "c:c0:c0"], await ScanAsync(log, 0));
        Assert.Equal(["a:a0:a0", "c:c0:c0"], await ScanAsync(log, 1));
        Assert.Equal(["a:a2:a2", "c:c0:c0", "d:d2:d2"], await ScanAsync(log, 2));
        Assert.Equal(["a:a2:a2", "c:c0:c0"], await ScanAsync(log, 3));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_checkpoint_in_several_row_groups_reads_back_the_same_state(bool overlap)
    {
        using var dir = new TempDirectory("scan");
        var log = await TableAsync(dir);
        var segment = (await LogSegment.BuildAsync(log.Store, 3, default))!;
        var snapshot = await log.ReplayAsync(segment, default);
        var (bytes, actions, adds) = await CheckpointWriter.EncodeAsync(snapshot, log.ScanLiveAddsAsync(segment, default), rowGroupRows: 2, default, overlap);
        // protocol, metaData, adds a and c, tombstones b and d: three row groups of two rows.
        Assert.Equal((6L, 2L), (actions, adds));
        await using (var reader = await ParquetReader.CreateAsync(new MemoryStream(bytes)))
            Assert.Equal(3, reader.RowGroupCount);

        // Without the hint (which names checkpoint 1), the listing finds the newer checkpoint 3.
        await File.WriteAllBytesAsync(dir.Combine("_delta_log", "00000000000000000003.checkpoint.parquet"), bytes);
        File.Delete(dir.Combine("_delta_log", "_last_checkpoint"));
        var fromCheckpoint = (await LogSegment.BuildAsync(log.Store, 3, default))!;
        Assert.Equal(3, fromCheckpoint.Checkpoint!.Version);
        Assert.Equal(["a:a2:a2", "c:c0:c0"], await ScanAsync(log, 3));
        var replayed = await log.ReplayAsync(fromCheckpoint, default);
        Assert.Equal(["b", "d"], replayed.Tombstones.Keys.Select(k => k.Path).Order(StringComparer.Ordinal));
        Assert.Equal(snapshot.SizeInBytes, replayed.SizeInBytes);
    }

    [Fact]
    public async Task Adds_that_are_not_the_snapshots_live_files_are_refused()
    {
        using var dir = new TempDirectory("scan");
        var log = await TableAsync(dir);
        var at3 = (await LogSegment.BuildAsync(log.Store, 3, default))!;
        var at2 = (await LogSegment.BuildAsync(log.Store, 2, default))!;
        var snapshot = await log.ReplayAsync(at3, default);
        // At 2, d is live as well: an add the snapshot at 3 does not hold.
        await Assert.ThrowsAsync<InvalidOperationException>(() => CheckpointWriter.EncodeAsync(snapshot, log.ScanLiveAddsAsync(at2, default), default));
        // Too few adds: a live file would vanish from the checkpoint.
        await Assert.ThrowsAsync<InvalidOperationException>(() => CheckpointWriter.EncodeAsync(snapshot, log.ScanLiveAddsAsync(at3, default).Take(1), default));
    }

    [Fact]
    public void The_snapshot_keeps_tombstones_without_stats_and_tags_and_leaves_the_commit_intact()
    {
        var remove = Remove("a");
        var snapshot = new Snapshot();
        snapshot.Apply(new Commit(0, 1, [new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 },
            new Metadata { Id = "t", SchemaString = "{}" }, Add("b", "b0"), remove]));
        var tombstone = snapshot.Tombstones[remove.Key];
        Assert.Equal((null, null, "a", 5L), (tombstone.Stats, tombstone.Tags, tombstone.Path, tombstone.DeletionTimestamp));
        Assert.Equal(("{}", "r"), (remove.Stats, remove.Tags!["t"]));
        var live = Assert.Single(snapshot.Files.Values);
        Assert.Equal(("b", 1L, 1L, "x"), (live.Path, live.Size, live.ModificationTime, live.PartitionValues["p"]));
    }
}
