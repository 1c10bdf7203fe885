using BenchmarkDotNet.Attributes;
using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.Benchmarks;

/// <summary>
/// Log replay of 10,000 commits holding 1,000,000 adds: from JSON only, and the same state from one checkpoint;
/// writing a checkpoint from the checkpointed table (its state from the log, then the full adds scanned back); and
/// applying one more version to the in-memory snapshot.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ReplayBenchmarks
{
    private const int Commits = 10_000;
    private const int AddsPerCommit = 100;
    private DeltaLog _json = null!;
    private DeltaLog _checkpointed = null!;
    private LogSegment _checkpointedSegment = null!;
    private Snapshot _checkpointedState = null!;
    private Snapshot _live = null!;
    private Commit _forward = null!;
    private Commit _back = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = GeneratedLog.Ensure(Commits, AddsPerCommit);
        _json = new DeltaLog(new LocalObjectStore(root));
        var segment = LogSegment.BuildAsync(_json.Store, null, default).GetAwaiter().GetResult()!;
        var checkpointed = CheckpointedCopy(root, _json, segment);
        _checkpointed = new DeltaLog(new LocalObjectStore(checkpointed));
        _checkpointedSegment = LogSegment.BuildAsync(_checkpointed.Store, null, default).GetAwaiter().GetResult()!;
        _checkpointedState = _checkpointed.ReplayAsync(_checkpointedSegment, default).GetAwaiter().GetResult();
        // Two versions that undo each other (100 adds + 100 removes each), so repeated applies keep the state's size.
        var fresh = Enumerable.Range(0, AddsPerCommit).Select(i => GeneratedLog.Add(Commits, i)).ToList();
        var old = _json.ScanLiveAddsAsync(segment, default).Take(AddsPerCommit).ToListAsync().AsTask().GetAwaiter().GetResult();
        _forward = new Commit(0, 0, [.. fresh, .. old.Select(f => new RemoveFile { Path = f.Path, DataChange = true })]);
        _back = new Commit(0, 0, [.. old, .. fresh.Select(f => new RemoveFile { Path = f.Path, DataChange = true })]);
        _live = _json.LoadSnapshotAsync(null, default).GetAwaiter().GetResult()!;
    }

    [Benchmark]
    public Snapshot JsonReplay() => _json.LoadSnapshotAsync(null, default).GetAwaiter().GetResult()!;

    [Benchmark]
    public Snapshot CheckpointReplay() => _checkpointed.LoadSnapshotAsync(null, default).GetAwaiter().GetResult()!;

    /// <summary>
    /// What the sync engine does at a checkpoint interval, minus the store write: it already holds the state in
    /// memory, scans the full adds back from the log (here: the previous checkpoint's 1,000,000 rows) and encodes.
    /// </summary>
    [Benchmark]
    public long CheckpointWrite()
    {
        var adds = _checkpointed.ScanLiveAddsAsync(_checkpointedSegment, default);
        return CheckpointWriter.EncodeAsync(_checkpointedState, adds, default).GetAwaiter().GetResult().Bytes.LongLength;
    }

    /// <summary>One provider version (100 adds, 100 removes) applied to the in-memory snapshot of 1,000,000 files.</summary>
    [Benchmark]
    public long IncrementalApply()
    {
        var next = _live.Version + 1;
        _live.Apply((next % 2 == 0 ? _back : _forward) with { Version = next });
        return _live.Files.Count;
    }

    /// <summary>
    /// A table holding only the checkpoint of the last version (and that commit), written once per build of the
    /// checkpoint writer, so that replay reads the checkpoint this build writes rather than one cached by an older build.
    /// </summary>
    private static string CheckpointedCopy(string root, DeltaLog log, LogSegment segment)
    {
        var copy = $"{root}-checkpointed-{typeof(CheckpointWriter).Assembly.ManifestModule.ModuleVersionId:N}";
        if (File.Exists(Path.Combine(copy, "complete")))
            return copy;
        Directory.CreateDirectory(Path.Combine(copy, "_delta_log"));
        var last = LogFileNames.Commit(segment.Version);
        File.Copy(Path.Combine(root, last), Path.Combine(copy, last), overwrite: true);
        var snapshot = log.ReplayAsync(segment, default).GetAwaiter().GetResult();
        CheckpointWriter.WriteAsync(new LocalObjectStore(copy), snapshot, log.ScanLiveAddsAsync(segment, default), default).GetAwaiter().GetResult();
        File.WriteAllText(Path.Combine(copy, "complete"), "");
        return copy;
    }
}
