using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Delta;

public class CheckpointTests
{
    /// <summary>
    /// Forward replay of JSON commits only, ignoring checkpoints: the reference the checkpoint path must equal. The
    /// full adds are tracked alongside (the last add of each key still live), since the snapshot keeps no stats.
    /// </summary>
    private static async Task<string[]> JsonOnlyAsync(DeltaLog log, long version)
    {
        var snapshot = new Snapshot();
        var adds = new Dictionary<FileKey, AddFile>();
        await foreach (var commit in log.ReadCommitsAsync(0, version, default))
        {
            snapshot.Apply(commit);
            foreach (var action in commit.Actions)
            {
                if (action is AddFile add)
                    adds[add.Key] = add;
                else if (action is RemoveFile remove)
                    adds.Remove(remove.Key);
            }
        }
        return Describe(snapshot, adds.Values);
    }

    /// <summary>A snapshot as replayed from <paramref name="segment"/>, its full adds scanned from the same segment.</summary>
    private static async Task<string[]> ReplayedAsync(DeltaLog log, LogSegment segment) =>
        Describe(await log.ReplayAsync(segment, default), await log.ScanLiveAddsAsync(segment, default).ToListAsync());

    /// <summary>The snapshot's state, with each live file described by its full add (stats included).</summary>
    private static string[] Describe(Snapshot s, IEnumerable<AddFile> fullAdds)
    {
        var adds = fullAdds.ToList();
        // The full adds must be exactly the live files, and agree with them on what the snapshot keeps.
        Assert.Equal(s.Files.Count, adds.Count);
        foreach (var add in adds)
        {
            var live = s.Files[add.Key];
            Assert.Equal((add.Path, add.Size, add.ModificationTime, add.DeletionVector?.UniqueId, Map(add.PartitionValues)),
                (live.Path, live.Size, live.ModificationTime, live.DeletionVector?.UniqueId, Map(live.PartitionValues)));
        }
        return
        [
            $"v={s.Version} size={s.SizeInBytes} protocol={ActionCodec.ToJson(s.Protocol!)}",
            $"metadata={ActionCodec.ToJson(s.Metadata!)}",
            .. adds.Select(f => $"add {f.Path} {f.Size} {f.ModificationTime} {f.Stats} {f.DeletionVector?.UniqueId} " + Map(f.PartitionValues))
                .Order(StringComparer.Ordinal),
            .. s.Tombstones.Keys.Select(k => $"remove {k.Path} {k.DeletionVectorId}").Order(StringComparer.Ordinal),
            .. s.Transactions.Values.Select(t => $"txn {t.AppId} {t.Version}").Order(StringComparer.Ordinal),
        ];
    }

    private static string Map(IReadOnlyDictionary<string, string?> values) =>
        string.Join(",", values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value ?? "<null>"}"));

    [Theory]
    [InlineData("simple_table_with_checkpoint")]
    [InlineData("python-0.25.5-checkpoint")]
    public async Task Replay_across_a_checkpoint_equals_replay_of_json_only(string table)
    {
        var log = new DeltaLog(new LocalObjectStore(TestPaths.Table(table)));
        var segment = await LogSegment.BuildAsync(log.Store, null, default);
        Assert.NotNull(segment!.Checkpoint);
        Assert.Equal(await JsonOnlyAsync(log, segment.Version), await ReplayedAsync(log, segment));
    }

    [Fact]
    public async Task A_log_that_starts_at_a_checkpoint_is_readable()
    {
        var log = new DeltaLog(new LocalObjectStore(TestPaths.Table("checkpoint_with_partitions")));
        var snapshot = await log.LoadSnapshotAsync(null, default);
        Assert.Equal(2, snapshot!.Version);
        Assert.Equal(["color"], snapshot.Metadata!.PartitionColumns);
        Assert.Equal((2L, 2L), (await log.VersionRangeAsync(default))!.Value);
        await Assert.ThrowsAsync<DeltaFormatException>(() => log.LoadSnapshotAsync(1, default));

        // The checkpoint is at the snapshot's version, so the live files are exactly its add rows, as DuckDB reads
        // them, independent of the checkpoint reader.
        var file = Path.Combine(TestPaths.Table("checkpoint_with_partitions"), "_delta_log", "00000000000000000002.checkpoint.parquet");
        var addPaths = NodeReaders.Read(NodeReaders.DuckDb, [file]).Rows(file, "DuckDB")
            .Select(r => r!["add"]).OfType<System.Text.Json.Nodes.JsonObject>().Select(a => (string)a["path"]!);
        Assert.Equal(addPaths.Order(StringComparer.Ordinal), snapshot.Files.Keys.Select(k => k.Path).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("corrupt")]
    [InlineData("stale")]
    [InlineData("ahead")]
    public async Task A_bad_last_checkpoint_hint_falls_back_to_listing(string damage)
    {
        using var dir = CopyLog("simple_table_with_checkpoint");
        var hint = Path.Combine(dir.Path, "_delta_log", "_last_checkpoint");
        switch (damage)
        {
            case "missing": File.Delete(hint); break;
            case "corrupt": await File.WriteAllTextAsync(hint, "{\"version\":"); break;
            case "stale": await File.WriteAllTextAsync(hint, "{\"version\":5,\"size\":3}"); break;
            case "ahead": await File.WriteAllTextAsync(hint, "{\"version\":99,\"size\":3}"); break;
        }
        var log = new DeltaLog(new LocalObjectStore(dir.Path));
        var segment = await LogSegment.BuildAsync(log.Store, null, default);
        Assert.Equal(10, segment!.Checkpoint!.Version);
        Assert.Equal(await JsonOnlyAsync(log, 10), await ReplayedAsync(log, segment));
    }

    [Fact]
    public async Task A_multi_part_checkpoint_is_read_and_an_incomplete_one_ignored()
    {
        using var dir = CopyLog("simple_table_with_checkpoint");
        var logDir = Path.Combine(dir.Path, "_delta_log");
        var single = Path.Combine(logDir, "00000000000000000010.checkpoint.parquet");
        // DuckDB splits the checkpoint in two halves by row number: parts from another writer, same schema.
        var rows = $"read_parquet('{single}', file_row_number = true)";
        NodeReaders.WriteWithDuckDb([
            (Path.Combine(logDir, "00000000000000000010.checkpoint.0000000001.0000000002.parquet"), "COMPRESSION snappy",
                $"SELECT * EXCLUDE (file_row_number) FROM {rows} WHERE file_row_number < (SELECT count(*) / 2 FROM {rows}) ORDER BY file_row_number"),
            (Path.Combine(logDir, "00000000000000000010.checkpoint.0000000002.0000000002.parquet"), "COMPRESSION snappy",
                $"SELECT * EXCLUDE (file_row_number) FROM {rows} WHERE file_row_number >= (SELECT count(*) / 2 FROM {rows}) ORDER BY file_row_number"),
        ]);
        File.Delete(single);
        var log = new DeltaLog(new LocalObjectStore(dir.Path));
        var segment = await LogSegment.BuildAsync(log.Store, null, default);
        Assert.Equal(2, segment!.Checkpoint!.Parts.Count);
        Assert.Equal(await JsonOnlyAsync(log, 10), await ReplayedAsync(log, segment));

        File.Delete(Path.Combine(logDir, "00000000000000000010.checkpoint.0000000002.0000000002.parquet"));
        segment = await LogSegment.BuildAsync(log.Store, null, default);
        Assert.Null(segment!.Checkpoint);
        Assert.Equal(await JsonOnlyAsync(log, 10), await ReplayedAsync(log, segment));
    }

    [Theory]
    [InlineData("simple_table_with_checkpoint")]
    [InlineData("table-with-dv-small")]
    [InlineData("delta-0.8.0-special-partition")]
    [InlineData("table_with_column_mapping")]
    public async Task A_written_checkpoint_reads_back_as_the_same_snapshot(string table)
    {
        var sourceLog = new DeltaLog(new LocalObjectStore(TestPaths.Table(table)));
        var sourceSegment = (await LogSegment.BuildAsync(sourceLog.Store, null, default))!;
        var source = await sourceLog.ReplayAsync(sourceSegment, default);
        using var dir = CopyLog(table);
        var store = new LocalObjectStore(dir.Path);
        foreach (var old in Directory.GetFiles(Path.Combine(dir.Path, "_delta_log"), "*checkpoint*"))
            File.Delete(old);
        await CheckpointWriter.WriteAsync(store, source, sourceLog.ScanLiveAddsAsync(sourceSegment, default), default);

        var hint = LastCheckpoint.TryParse(await File.ReadAllBytesAsync(Path.Combine(dir.Path, "_delta_log", "_last_checkpoint")));
        Assert.Equal(source!.Version, hint!.Version);
        Assert.Equal(source.Files.Count, hint.NumOfAddFiles);
        var segment = await LogSegment.BuildAsync(store, null, default);
        Assert.Equal(source.Version, segment!.Checkpoint!.Version);
        Assert.Equal(await ReplayedAsync(sourceLog, sourceSegment), await ReplayedAsync(new DeltaLog(store), segment));
    }

    [Fact]
    public async Task A_checkpoint_is_never_written_before_its_commit()
    {
        var log = new DeltaLog(new LocalObjectStore(TestPaths.Table("simple_table")));
        var segment = (await LogSegment.BuildAsync(log.Store, null, default))!;
        var source = await log.ReplayAsync(segment, default);
        using var dir = new TempDirectory();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            CheckpointWriter.WriteAsync(new LocalObjectStore(dir.Path), source, log.ScanLiveAddsAsync(segment, default), default));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "_delta_log")));
    }

    [Fact]
    public async Task Protocol_and_metadata_stop_at_the_newest_commit_that_has_them()
    {
        using var dir = CopyLog("simple_table_with_checkpoint");
        var store = new LocalObjectStore(dir.Path);
        var log = new DeltaLog(store);
        var fromCheckpoint = (await log.LoadProtocolAndMetadataAsync(null, default))!.Value;
        var full = (await log.LoadSnapshotAsync(null, default))!;
        Assert.Equal(ActionCodec.ToJson(full.Metadata!), ActionCodec.ToJson(fromCheckpoint.Metadata));
        Assert.Equal(ActionCodec.ToJson(full.Protocol!), ActionCodec.ToJson(fromCheckpoint.Protocol));

        // A newer commit carries both; the checkpoint is then never opened, so corrupting it changes nothing.
        var changed = ActionCodec.Clone(full.Metadata!);
        changed.Description = "changed at 11";
        await new CommitWriter(store).WriteAsync(11, [new CommitInfo { Timestamp = 1 }, full.Protocol!, changed], default);
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, "_delta_log", "00000000000000000010.checkpoint.parquet"), [1, 2, 3]);
        var early = (await log.LoadProtocolAndMetadataAsync(null, default))!.Value;
        Assert.Equal("changed at 11", early.Metadata.Description);
        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => log.LoadSnapshotAsync(null, default));
        Assert.Contains("00000000000000000010.checkpoint.parquet", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_hint_starts_the_listing_at_its_checkpoint_and_a_newer_checkpoint_still_wins()
    {
        using var dir = CopyLog("simple_table_with_checkpoint");
        var store = new ListingRecorder(new LocalObjectStore(dir.Path));
        var segment = await LogSegment.BuildAsync(store, null, default);
        Assert.Equal(10, segment!.Checkpoint!.Version);
        Assert.Equal(LogFileNames.Commit(9), Assert.Single(store.StartAfters));
        Assert.Equal(0, store.FullListings);

        // A stale hint (5, no checkpoint there) lists everything; the newest complete checkpoint is used either way.
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "_delta_log", "_last_checkpoint"), "{\"version\":5}");
        store.StartAfters.Clear();
        segment = await LogSegment.BuildAsync(store, null, default);
        Assert.Equal(10, segment!.Checkpoint!.Version);
        Assert.Equal(LogFileNames.Commit(4), Assert.Single(store.StartAfters));
        Assert.Equal(1, store.FullListings);
    }

    /// <summary>Records how a store is listed; it re-implements the interface to see listings after a key too.</summary>
    private sealed class ListingRecorder(IObjectStore inner) : ForwardingStore(inner), IObjectStore
    {
        public List<string> StartAfters { get; } = [];
        public int FullListings { get; private set; }

        public override IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct)
        {
            FullListings++;
            return Inner.ListAsync(prefix, ct);
        }

        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, string startAfter, CancellationToken ct)
        {
            StartAfters.Add(startAfter);
            return Inner.ListAsync(prefix, startAfter, ct);
        }
    }

    /// <summary>A scratch copy of a test table's log (data files are not needed to replay it).</summary>
    private static TempDirectory CopyLog(string table)
    {
        var dir = new TempDirectory("log");
        Directory.CreateDirectory(Path.Combine(dir.Path, "_delta_log"));
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.Table(table), "_delta_log")))
        {
            var copy = Path.Combine(dir.Path, "_delta_log", Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetAttributes(copy, FileAttributes.Normal);
        }
        return dir;
    }
}
