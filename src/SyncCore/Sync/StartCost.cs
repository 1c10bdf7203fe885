using ReplicaSync.Sharing;

namespace ReplicaSync.Sync;

/// <summary>
/// What a new replica's start will copy, announced before any file is: the start ("full history from version 0",
/// "snapshot at version 12"), the versions it writes, and the files and bytes it copies.
/// </summary>
public sealed record StartCost(string Start, long Versions, long Files, long Bytes)
{
    /// <summary>
    /// The cost of full history up to <paramref name="goal"/>: every file the change feed adds, read window by window
    /// (memory bounded by one window). Rewrites the feed hides (OPTIMIZE) are reconciled later and come on top.
    /// </summary>
    public static async Task<StartCost> FullHistoryAsync(ChangeFeedReader feed, long goal, FeedWindows windows, CancellationToken ct)
    {
        long files = 0, bytes = 0;
        for (var from = 0L; from <= goal;)
        {
            var to = windows.End(from, goal);
            var window = await feed.ReadAsync(from, to, ct);
            windows.Read(window);
            foreach (var version in window)
            {
                files += version.Adds.Count;
                bytes += version.Adds.Sum(a => a.Size ?? 0);
            }
            from = to + 1;
        }
        return new StartCost("full history from version 0", goal + 1, files, bytes);
    }

    /// <summary>
    /// Tells the observer what full history will copy. Measuring reads the whole feed once more, so it is done only
    /// when someone listens; a stop asked for meanwhile ends the run before anything is copied (false).
    /// </summary>
    internal static async Task<bool> AnnounceFullHistoryAsync(SharingClient client, TableAddress table, Run run, SyncOptions options,
        CancellationToken ct)
    {
        if (options.Observer is NullSyncObserver)
            return true;
        using var measuring = CancellationTokenSource.CreateLinkedTokenSource(ct, options.StopRequested);
        try
        {
            options.Observer.StartPlanned(await FullHistoryAsync(new ChangeFeedReader(client, table, null), run.Goal,
                new FeedWindows(options.VersionsPerRequest, options.FilesPerRequest), measuring.Token));
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && options.StopRequested.IsCancellationRequested)
        {
            run.StoppedBecause = "asked to stop before version 0";
            return false;
        }
    }
}
