using ReplicaSync.Storage;

namespace ReplicaSync.Delta;

/// <summary>Publishes commit files with put-if-absent: a version, once written, is never overwritten.</summary>
public sealed class CommitWriter(IObjectStore store)
{
    /// <summary>
    /// Writes <c>_delta_log/&lt;version&gt;.json</c>. Throws <see cref="CommitConflictException"/> when the
    /// version already exists: another writer is active, so the caller must stop and re-plan, not retry.
    /// </summary>
    public async Task WriteAsync(long version, IReadOnlyList<DeltaAction> actions, CancellationToken ct)
    {
        if (actions.Count == 0)
            throw new ArgumentException("a commit needs at least one action");
        var key = LogFileNames.Commit(version);
        if (!await store.PutIfAbsentAsync(key, ActionCodec.ToNdjson(actions), ct))
            throw new CommitConflictException(version);
    }
}

/// <summary>The commit version was already written by someone else.</summary>
public sealed class CommitConflictException(long version)
    : Exception($"commit {version} already exists: another writer is active on this table")
{
    public long Version { get; } = version;
}
