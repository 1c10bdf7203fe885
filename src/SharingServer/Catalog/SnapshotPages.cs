using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The snapshot a client is paging through, with its live files in page order, kept between its page requests: a
/// snapshot of a million files served in pages of 10,000 is then replayed and spilled once, not a hundred times. One
/// per table. It is used only for a segment made of the same log files (so a table written again is read afresh),
/// replaced by a query at another version, and dropped once its last page has been served or when no page has asked
/// for it for <c>idle</c> (a client that stopped paging; its next page, if any, reads the log again).
/// </summary>
internal sealed class SnapshotPages(TimeSpan idle, TimeProvider time)
{
    private readonly Lock _lock = new();
    private (SegmentFiles Files, Task<PagedSnapshot> Listing)? _kept;
    private ITimer? _idleTimer;

    /// <summary>Whether a snapshot is kept now.</summary>
    public bool Holds
    {
        get
        {
            lock (_lock)
                return _kept is not null;
        }
    }

    /// <summary>
    /// The paged snapshot of <paramref name="segment"/> with a reader's lease on its adds, which the caller releases:
    /// the kept one when it was built from the same log files, else one built by <paramref name="build"/> (once, for
    /// requests that ask together) and kept for the next pages. The request that builds takes its lease as the build
    /// ends, before anyone can let the listing go, so two clients paging other versions of one table, each replacing
    /// the other's listing, both make progress; a request that joined a listing let go meanwhile asks again.
    /// </summary>
    public async Task<PagedSnapshot> LeaseAsync(LogSegment segment, Func<Task<PagedSnapshot>> build, CancellationToken ct)
    {
        while (true)
        {
            var built = false;
            var listing = GetAsync(segment, async () =>
            {
                built = true;
                var paged = await build();
                paged.Files.TryAcquire();
                return paged;
            });
            PagedSnapshot result;
            try
            {
                result = await listing.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (built)
            {
                // The build goes on for later pages; the lease it will take for this aborted request is given back.
                Release(listing);
                throw;
            }
            if (built || result.Files.TryAcquire())
                return result;
        }
    }

    private Task<PagedSnapshot> GetAsync(LogSegment segment, Func<Task<PagedSnapshot>> build)
    {
        var files = SegmentFiles.Of(segment);
        lock (_lock)
        {
            // A listing that failed (its first request aborted, a read error) is built again, not handed out.
            if (_kept is { } kept && kept.Files == files && !kept.Listing.IsFaulted && !kept.Listing.IsCanceled)
            {
                _idleTimer?.Change(idle, Timeout.InfiniteTimeSpan);
                return kept.Listing;
            }
            if (_kept is { } replaced)
                Release(replaced.Listing);
            var listing = build();
            _kept = (files, listing);
            _idleTimer?.Dispose();
            _idleTimer = time.CreateTimer(_ => Drop(files), null, idle, Timeout.InfiniteTimeSpan);
            return listing;
        }
    }

    /// <summary>The last page of <paramref name="segment"/> was served: its files need not be kept any longer.</summary>
    public void Served(LogSegment segment) => Drop(SegmentFiles.Of(segment));

    private void Drop(SegmentFiles files)
    {
        lock (_lock)
        {
            if (_kept is not { } kept || kept.Files != files)
                return;
            Release(kept.Listing);
            _kept = null;
            _idleTimer?.Dispose();
            _idleTimer = null;
        }
    }

    /// <summary>Lets go of a listing no longer kept, once it is built (readers with a lease finish their pages).</summary>
    private static void Release(Task<PagedSnapshot> listing) =>
        listing.ContinueWith(built => built.Result.Files.Release(), CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

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
internal sealed record PagedSnapshot(Snapshot State, SpilledAdds Files);
