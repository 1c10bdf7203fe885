using System.Runtime.CompilerServices;
using ReplicaSync.Storage;

namespace ReplicaSync.Delta;

/// <summary>
/// Reads a table's <c>_delta_log</c> through an <see cref="IObjectStore"/> rooted at the table.
/// Replay runs newest to oldest over the commits after the newest complete checkpoint, then that checkpoint.
/// </summary>
public sealed class DeltaLog(IObjectStore store)
{
    public IObjectStore Store { get; } = store;

    /// <summary>The commit versions present, ascending, with their file times.</summary>
    public async Task<IReadOnlyList<(long Version, DateTimeOffset FileTime)>> ListCommitsAsync(CancellationToken ct)
    {
        var versions = new List<(long, DateTimeOffset)>();
        await foreach (var info in Store.ListAsync(LogFileNames.LogDir, ct))
        {
            if (LogFileNames.ParseCommitVersion(info.Path) is { } v)
                versions.Add((v, info.LastModified));
        }
        return versions;
    }

    /// <summary>The newest version in the log, or null when the table does not exist.</summary>
    public async Task<long?> LatestVersionAsync(CancellationToken ct)
    {
        var commits = await ListCommitsAsync(ct);
        return commits.Count == 0 ? null : commits[^1].Version;
    }

    /// <summary>
    /// The versions a snapshot can be read at: from 0 when commit 0 exists, else from the oldest complete checkpoint
    /// (older commits were cleaned up), to the newest version. Null when the table has no log.
    /// </summary>
    public async Task<(long Earliest, long Latest)?> VersionRangeAsync(CancellationToken ct)
    {
        var listing = await LogListing.ReadVersionsAsync(Store, ct);
        if (listing.IsEmpty)
            return null;
        var earliest = listing.Commits.ContainsKey(0) || listing.Checkpoints.Count == 0 ? 0 : listing.Checkpoints.Keys.First();
        return (earliest, listing.LatestVersion);
    }

    /// <summary>Reads one commit file.</summary>
    public Task<Commit> ReadCommitAsync(long version, DateTimeOffset? fileTime, CancellationToken ct) =>
        ReadCommitAsync(version, fileTime, ActionDetail.Full, ct);

    /// <summary>Reads one commit file, parsing its actions to <paramref name="detail"/>.</summary>
    public async Task<Commit> ReadCommitAsync(long version, DateTimeOffset? fileTime, ActionDetail detail, CancellationToken ct)
    {
        var key = LogFileNames.Commit(version);
        var actions = new List<DeltaAction>();
        await foreach (var action in ReadActionsAsync(key, detail, ct))
            actions.Add(action);
        if (fileTime is null)
            fileTime = (await Store.StatAsync(key, ct))?.LastModified ?? DateTimeOffset.UnixEpoch;
        return new Commit(version, Commit.TimestampOf(actions, fileTime.Value), actions);
    }

    /// <summary>Commits from <paramref name="fromVersion"/> to <paramref name="toVersion"/> inclusive, checking there is no gap.</summary>
    public async IAsyncEnumerable<Commit> ReadCommitsAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        var expected = fromVersion;
        // The listing starts at the first commit wanted and is left once past the last one.
        var listing = fromVersion > 0 ? Store.ListAsync(LogFileNames.LogDir, LogFileNames.Commit(fromVersion - 1), ct) : Store.ListAsync(LogFileNames.LogDir, ct);
        await foreach (var info in listing)
        {
            if (LogFileNames.ParseCommitVersion(info.Path) is not { } version || version < fromVersion)
                continue;
            if (version > toVersion)
                break;
            if (version != expected)
                throw new DeltaFormatException($"{Store.Location}: commit {expected} is missing (next is {version})");
            yield return await ReadCommitAsync(version, info.LastModified, ct);
            expected++;
        }
        if (expected <= toVersion)
            throw new DeltaFormatException($"{Store.Location}: commit {expected} is missing");
    }

    /// <summary>
    /// The table at <paramref name="version"/> (latest when null), replayed newest to oldest from the newest complete
    /// checkpoint at or below it; null when the table has no log.
    /// </summary>
    public async Task<Snapshot?> LoadSnapshotAsync(long? version, CancellationToken ct)
    {
        var segment = await LogSegment.BuildAsync(Store, version, ct);
        return segment is null ? null : await ReplayAsync(segment, ct);
    }

    /// <summary>Replays one segment: its commits newest first (read in parallel batches), then its checkpoint.</summary>
    public async Task<Snapshot> ReplayAsync(LogSegment segment, CancellationToken ct)
    {
        var builder = new Snapshot.ReverseBuilder(segment.Version);
        // A log that starts at a checkpoint may lack the checkpoint's commit: its file time is the best clock left.
        if (segment.Commits.Count == 0)
        {
            builder.Timestamp = segment.CheckpointCommit is { } c
                ? (await ReadCommitAsync(segment.Version, c.LastModified, ct)).Timestamp
                : (await Store.StatAsync(segment.Checkpoint!.Parts[0], ct))?.LastModified.ToUnixTimeMilliseconds() ?? 0;
        }
        await foreach (var commit in ReadNewestFirstAsync(segment, ActionDetail.Replay, ct))
        {
            if (commit.Version == segment.Version)
                builder.Timestamp = commit.Timestamp;
            foreach (var action in commit.Actions)
                builder.Add(action);
        }
        if (segment.Checkpoint is { } checkpoint)
        {
            await foreach (var action in CheckpointReader.ReadAsync(Store, checkpoint, CheckpointRead.Replay, ct))
                builder.Add(action);
        }
        return builder.Build(Store.Location);
    }

    /// <summary>
    /// The full add action of every file live at the segment's version, as <see cref="ReplayAsync"/> decides them:
    /// commits newest first, where the first action seen for a key decides its fate, then the checkpoint's adds whose
    /// key no commit touched. Only the keys of the commits after the checkpoint are held; checkpoint rows stream.
    /// </summary>
    public async IAsyncEnumerable<AddFile> ScanLiveAddsAsync(LogSegment segment, [EnumeratorCancellation] CancellationToken ct)
    {
        var seen = new HashSet<FileKey>();
        await foreach (var commit in ReadNewestFirstAsync(segment, ActionDetail.Full, ct))
        {
            foreach (var action in commit.Actions)
            {
                if (action is AddFile add && seen.Add(add.Key))
                    yield return add;
                else if (action is RemoveFile remove)
                    seen.Add(remove.Key);
            }
        }
        if (segment.Checkpoint is { } checkpoint)
        {
            await foreach (var action in CheckpointReader.ReadAsync(Store, checkpoint, CheckpointRead.Adds, ct))
            {
                if (action is AddFile add && !seen.Contains(add.Key))
                    yield return add;
            }
        }
    }

    /// <summary>
    /// Protocol and metadata at <paramref name="version"/> (latest when null) without building the file state: commits
    /// are read newest first and the walk stops once both are found; only then is the checkpoint consulted, and only
    /// its protocol and metaData columns are decoded.
    /// </summary>
    public async Task<(Protocol Protocol, Metadata Metadata)?> LoadProtocolAndMetadataAsync(long? version, CancellationToken ct)
    {
        var segment = await LogSegment.BuildAsync(Store, version, ct);
        if (segment is null)
            return null;
        Protocol? protocol = null;
        Metadata? metadata = null;
        var first = segment.FirstCommitVersion;
        for (var i = segment.Commits.Count - 1; i >= 0 && (protocol is null || metadata is null); i--)
        {
            foreach (var action in (await ReadCommitAsync(first + i, segment.Commits[i].LastModified, ct)).Actions)
            {
                protocol ??= action as Protocol;
                metadata ??= action as Metadata;
            }
        }
        if ((protocol is null || metadata is null) && segment.Checkpoint is { } checkpoint)
        {
            await foreach (var action in CheckpointReader.ReadAsync(Store, checkpoint, CheckpointRead.ProtocolAndMetadata, ct))
            {
                protocol ??= action as Protocol;
                metadata ??= action as Metadata;
            }
        }
        if (protocol is null || metadata is null)
            throw new DeltaFormatException($"{Store.Location}: no protocol or metaData found up to version {segment.Version}");
        return (protocol, metadata);
    }

    // Commit files are small and many: read and parse several at once, in batches so memory stays bounded.
    private const int ReplayBatch = 256;
    private static readonly int ReadParallelism = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>The segment's commits, newest first, read and parsed in parallel batches.</summary>
    private async IAsyncEnumerable<Commit> ReadNewestFirstAsync(LogSegment segment, ActionDetail detail, [EnumeratorCancellation] CancellationToken ct)
    {
        var first = segment.FirstCommitVersion;
        var batch = new Commit[ReplayBatch];
        for (var end = segment.Commits.Count; end > 0; end -= ReplayBatch)
        {
            var start = Math.Max(0, end - ReplayBatch);
            await Parallel.ForEachAsync(Enumerable.Range(start, end - start), new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = ReadParallelism },
                async (i, token) => batch[i - start] = await ReadCommitAsync(first + i, segment.Commits[i].LastModified, detail, token));
            for (var i = end - start - 1; i >= 0; i--)
                yield return batch[i];
        }
    }

    private async IAsyncEnumerable<DeltaAction> ReadActionsAsync(string key, ActionDetail detail, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = await Store.OpenReadAsync(key, null, ct);
        var reader = new NdjsonLineReader(stream);
        while (true)
        {
            ReadOnlyMemory<byte> line;
            try
            {
                if (await reader.ReadLineAsync(ct) is not { } next)
                    yield break;
                line = next;
            }
            catch (InvalidDataException e)
            {
                throw new DeltaFormatException($"{key}: {e.Message}", e);
            }
            if (line.Length > 0)
                yield return ActionCodec.Parse(line.Span, new LineSource(key, reader.LineNumber), detail);
        }
    }
}
