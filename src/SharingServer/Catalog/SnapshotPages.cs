using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The snapshot a client is paging through, with its live files in page order, kept between its page requests: a
/// snapshot of a million files served in pages of 10,000 is then replayed and sorted once, not a hundred times. One
/// per table. It is used only for a segment made of the same log files (so a table written again is read afresh),
/// replaced by a query at another version, and dropped once its last page has been served.
/// </summary>
internal sealed class SnapshotPages
{
    private readonly Lock _lock = new();
    private (SegmentFiles Files, Task<PagedSnapshot> Listing)? _kept;

    /// <summary>
    /// The paged snapshot of <paramref name="segment"/>: the kept one when it was built from the same log files, else
    /// one built by <paramref name="build"/> (once, for requests that ask together) and kept for the next pages.
    /// </summary>
    public Task<PagedSnapshot> GetAsync(LogSegment segment, Func<Task<PagedSnapshot>> build)
    {
        var files = SegmentFiles.Of(segment);
        lock (_lock)
        {
            // A listing that failed (its first request aborted, a read error) is built again, not handed out.
            if (_kept is { } kept && kept.Files == files && !kept.Listing.IsFaulted && !kept.Listing.IsCanceled)
                return kept.Listing;
            var listing = build();
            _kept = (files, listing);
            return listing;
        }
    }

    /// <summary>The last page of <paramref name="segment"/> was served: its files need not be kept any longer.</summary>
    public void Served(LogSegment segment)
    {
        var files = SegmentFiles.Of(segment);
        lock (_lock)
        {
            if (_kept is { } kept && kept.Files == files)
                _kept = null;
        }
    }

    /// <summary>What identifies a segment's log files: the version, its checkpoint and its newest commit file as listed.</summary>
    private readonly record struct SegmentFiles(long Version, long? Checkpoint, string? NewestCommit, long NewestSize, DateTimeOffset NewestTime)
    {
        public static SegmentFiles Of(LogSegment segment)
        {
            var newest = segment.Commits.Count > 0 ? segment.Commits[^1] : null;
            return new SegmentFiles(segment.Version, segment.Checkpoint?.Version, newest?.Path, newest?.Size ?? -1, newest?.LastModified ?? default);
        }
    }
}

/// <summary>A snapshot being served in pages: its state (protocol, metaData, counts) and its live adds in page order.</summary>
internal sealed record PagedSnapshot(Snapshot State, IReadOnlyList<AddFile> Files);
