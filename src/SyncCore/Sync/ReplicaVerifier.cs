using System.Collections.Concurrent;
using ReplicaSync.Delta;
using ReplicaSync.Integrity;
using ReplicaSync.Storage;
using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Sync;

/// <summary>
/// Checks a replica against its own log: every live file must exist with the size its add announces, and where
/// the add records a CRC-32C (<see cref="CopyEngine.ChecksumTag"/>) the bytes must still have it.
/// </summary>
public sealed class ReplicaVerifier(IObjectStore store, int parallelism = 4)
{
    /// <summary>Verifies the latest version; throws <see cref="SyncException"/> when the target holds no Delta table.</summary>
    public async Task<VerifyReport> VerifyAsync(CancellationToken ct)
    {
        var log = new DeltaLog(store);
        var snapshot = await log.LoadSnapshotAsync(null, ct)
            ?? throw new SyncException($"{store.Location}: no replica here (no _delta_log)");
        var segment = await LogSegment.BuildAsync(store, snapshot.Version, ct)
            ?? throw new SyncException($"{store.Location}: the log of version {snapshot.Version} vanished while verifying");
        var problems = new ConcurrentQueue<string>();
        long files = 0, bytes = 0, checksummed = 0;
        await Parallel.ForEachAsync(log.ScanLiveAddsAsync(segment, ct), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (add, token) =>
            {
                Interlocked.Increment(ref files);
                Interlocked.Add(ref bytes, add.Size);
                var key = ReplicaPaths.FromLogPath(add.Path);
                var info = await store.StatAsync(key, token);
                if (info is null)
                {
                    problems.Enqueue($"{key}: missing");
                    return;
                }
                if (info.Size != add.Size)
                {
                    problems.Enqueue($"{key}: size {info.Size}, the log says {add.Size}");
                    return;
                }
                if (add.Tags?.GetValueOrDefault(CopyEngine.ChecksumTag) is not { } expected)
                    return;
                Interlocked.Increment(ref checksummed);
                await using var stream = await store.OpenReadAsync(key, null, token);
                var actual = Crc32C.Format(await CrcReader.ComputeAsync(stream, token));
                if (actual != expected)
                    problems.Enqueue($"{key}: CRC-32C {actual}, recorded when copied {expected}");
            });
        return new VerifyReport(snapshot.Version, files, bytes, checksummed, problems.Order(StringComparer.Ordinal).ToList());
    }
}

/// <summary>What a verification found: files and bytes checked, how many had a checksum, and one line per problem.</summary>
public sealed record VerifyReport(long Version, long Files, long Bytes, long Checksummed, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}
