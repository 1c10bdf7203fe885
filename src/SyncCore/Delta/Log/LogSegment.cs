using ReplicaSync.Storage;

namespace ReplicaSync.Delta;

/// <summary>
/// The files that make up one version of a table: the newest complete checkpoint at or below it (if any) and the
/// contiguous commits after that checkpoint up to the version.
/// </summary>
public sealed record LogSegment(long Version, CheckpointInfo? Checkpoint, IReadOnlyList<ObjectInfo> Commits, ObjectInfo? CheckpointCommit)
{
    /// <summary>The version of <c>Commits[0]</c>: the one after the checkpoint, or 0 without one.</summary>
    public long FirstCommitVersion => Checkpoint?.Version + 1 ?? 0;

    /// <summary>
    /// Lists <c>_delta_log</c> and picks the segment for <paramref name="version"/> (latest when null): the newest
    /// complete checkpoint at or below it and the commits after. A valid <c>_last_checkpoint</c> hint starts the
    /// listing at its checkpoint; a missing, stale or corrupt hint means a full listing. Null when the table has no log.
    /// </summary>
    public static async Task<LogSegment?> BuildAsync(IObjectStore store, long? version, CancellationToken ct)
    {
        // The hint lets the listing start at its checkpoint instead of at commit 0; if that partial listing does not
        // hold the complete hinted checkpoint (or the version asked for is older), list everything.
        var hint = await ReadHintAsync(store, ct);
        var listing = hint is { Version: > 0 } && (version is null || version >= hint.Version)
            ? await LogListing.ReadAsync(store, ct, startAfter: LogFileNames.Commit(hint.Version - 1))
            : null;
        if (listing is null || !listing.Checkpoints.TryGetValue(hint!.Version, out var hinted) || (hint.Parts is { } p && p != hinted.Parts.Count))
            listing = await LogListing.ReadAsync(store, ct);
        if (listing.IsEmpty)
            return null;
        var latest = listing.LatestVersion;
        var target = version ?? latest;
        if (target > latest || target < 0)
            throw new DeltaFormatException($"{store.Location}: version {target} does not exist (latest is {latest})");
        var checkpoint = listing.Checkpoints.Values.Where(c => c.Version <= target).MaxBy(c => c.Version);

        var first = checkpoint is null ? 0 : checkpoint.Version + 1;
        var commits = new List<ObjectInfo>();
        for (var v = first; v <= target; v++)
        {
            if (!listing.Commits.TryGetValue(v, out var commit))
            {
                throw new DeltaFormatException(checkpoint is null && v == 0
                    ? $"{store.Location}: the log has neither commit 0 nor a complete checkpoint at or below version {target}"
                    : $"{store.Location}: commit {v} is missing, so version {target} cannot be read");
            }
            commits.Add(commit);
        }
        var checkpointCommit = checkpoint is not null && listing.Commits.TryGetValue(checkpoint.Version, out var c0) ? c0 : null;
        return new LogSegment(target, checkpoint, commits, checkpointCommit);
    }

    private static async Task<LastCheckpoint?> ReadHintAsync(IObjectStore store, CancellationToken ct)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(LastCheckpoint.Key, null, ct);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            return LastCheckpoint.TryParse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }
}
