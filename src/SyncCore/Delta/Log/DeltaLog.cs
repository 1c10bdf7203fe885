using System.Runtime.CompilerServices;
using ReplicaSync.Storage;

namespace ReplicaSync.Delta;

/// <summary>
/// Reads a table's <c>_delta_log</c> through an <see cref="IObjectStore"/> rooted at the table.
/// Replay is from JSON commits; a log that starts after version 0 needs checkpoint reading (not yet supported).
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

    /// <summary>Reads one commit file.</summary>
    public async Task<Commit> ReadCommitAsync(long version, DateTimeOffset? fileTime, CancellationToken ct)
    {
        var key = LogFileNames.Commit(version);
        var actions = new List<DeltaAction>();
        await foreach (var action in ReadActionsAsync(key, ct))
            actions.Add(action);
        if (fileTime is null)
            fileTime = (await Store.StatAsync(key, ct))?.LastModified ?? DateTimeOffset.UnixEpoch;
        return new Commit(version, Commit.TimestampOf(actions, fileTime.Value), actions);
    }

    /// <summary>Commits from <paramref name="fromVersion"/> to <paramref name="toVersion"/> inclusive, checking there is no gap.</summary>
    public async IAsyncEnumerable<Commit> ReadCommitsAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        var expected = fromVersion;
        foreach (var (version, fileTime) in await ListCommitsAsync(ct))
        {
            if (version < fromVersion)
                continue;
            if (version > toVersion)
                break;
            if (version != expected)
                throw new DeltaFormatException($"{Store.Location}: commit {expected} is missing (next is {version})");
            yield return await ReadCommitAsync(version, fileTime, ct);
            expected++;
        }
        if (expected <= toVersion)
            throw new DeltaFormatException($"{Store.Location}: commit {expected} is missing");
    }

    /// <summary>Replays the log to <paramref name="version"/> (latest when null); null when the table has no log.</summary>
    public async Task<Snapshot?> LoadSnapshotAsync(long? version, CancellationToken ct)
    {
        var commits = await ListCommitsAsync(ct);
        if (commits.Count == 0)
            return null;
        var target = version ?? commits[^1].Version;
        if (commits[0].Version != 0)
            throw new DeltaFormatException($"{Store.Location}: the log starts at version {commits[0].Version}; tables without commit 0 need checkpoint support");
        if (target > commits[^1].Version)
            throw new DeltaFormatException($"{Store.Location}: version {target} does not exist (latest is {commits[^1].Version})");
        var snapshot = new Snapshot();
        await foreach (var commit in ReadCommitsAsync(0, target, ct))
            snapshot.Apply(commit);
        return snapshot;
    }

    private async IAsyncEnumerable<DeltaAction> ReadActionsAsync(string key, [EnumeratorCancellation] CancellationToken ct)
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
                yield return ActionCodec.Parse(line.Span, $"{key} line {reader.LineNumber}");
        }
    }
}
