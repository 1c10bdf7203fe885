using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ReplicaSync.Delta;
using ReplicaSync.Integrity;
using ReplicaSync.Storage;
using ReplicaSync.Sync.ChangeData;
using ReplicaSync.Sync.Copy;
using ReplicaSync.Vacuum;

namespace ReplicaSync.Sync;

/// <summary>
/// Checks a replica against its own log: every live file must exist with the size its add announces, and where
/// the add records a CRC-32C (<see cref="CopyEngine.ChecksumTag"/>) the bytes must still have it. For a table with
/// the change data feed on, the change data files its commits name are checked the same way; one of a version older
/// than the table's retention may be missing, since vacuum deletes those.
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
        long files = 0, bytes = 0, checksummed = 0, changeFiles = 0;
        await Parallel.ForEachAsync(FilesAsync(log, segment, snapshot, ct), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (file, token) =>
            {
                var info = await store.StatAsync(file.Key, token);
                if (info is null && file.MayBeVacuumed)
                    return;
                Interlocked.Increment(ref file.IsChangeData ? ref changeFiles : ref files);
                Interlocked.Add(ref bytes, file.Size);
                if (info is null)
                {
                    problems.Enqueue($"{file.Key}: missing");
                    return;
                }
                if (info.Size != file.Size)
                {
                    problems.Enqueue($"{file.Key}: size {info.Size}, the log says {file.Size}");
                    return;
                }
                if (file.Crc is not { } expected)
                    return;
                Interlocked.Increment(ref checksummed);
                await using var stream = await store.OpenReadAsync(file.Key, null, token);
                var actual = Crc32C.Format(await CrcReader.ComputeAsync(stream, token));
                if (actual != expected)
                    problems.Enqueue($"{file.Key}: CRC-32C {actual}, recorded when copied {expected}");
            });
        return new VerifyReport(snapshot.Version, files, bytes, checksummed, problems.Order(StringComparer.Ordinal).ToList()) { ChangeFiles = changeFiles };
    }

    private static async IAsyncEnumerable<FileToCheck> FilesAsync(DeltaLog log, LogSegment segment, Snapshot snapshot, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var add in log.ScanLiveAddsAsync(segment, ct))
            yield return new FileToCheck(ReplicaPaths.FromLogPath(add.Path), add.Size, add.Tags?.GetValueOrDefault(CopyEngine.ChecksumTag), false, false);
        // Change data lives only in commits, so they are read only for a table that records it.
        if (snapshot.Metadata is not { } metadata || !ChangeDataSpans.IsEnabled(metadata))
            yield break;
        var cutoff = (DateTimeOffset.UtcNow - RetentionPolicy.Resolve(metadata.Configuration, null).Effective).ToUnixTimeMilliseconds();
        foreach (var (version, fileTime) in await log.ListCommitsAsync(ct))
        {
            if (version > snapshot.Version)
                break;
            var commit = await log.ReadCommitAsync(version, fileTime, ct);
            foreach (var change in commit.Actions.OfType<CdcFile>())
                yield return new FileToCheck(ReplicaPaths.FromLogPath(change.Path), change.Size, change.Tags?.GetValueOrDefault(CopyEngine.ChecksumTag),
                    true, commit.Timestamp < cutoff);
        }
    }

    private sealed record FileToCheck(string Key, long Size, string? Crc, bool IsChangeData, bool MayBeVacuumed);
}

/// <summary>What a verification found: files and bytes checked, how many had a checksum, and one line per problem.</summary>
public sealed record VerifyReport(long Version, long Files, long Bytes, long Checksummed, IReadOnlyList<string> Problems)
{
    /// <summary>Change data files checked besides the live files (counted in <see cref="Bytes"/> and <see cref="Checksummed"/>).</summary>
    public long ChangeFiles { get; init; }
    public bool Ok => Problems.Count == 0;
}
