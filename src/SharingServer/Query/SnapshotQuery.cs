using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>
/// Answers a query for one snapshot (latest, <c>version</c>, <c>timestamp</c>, or the version pinned by a refresh
/// or page token): protocol, metaData, then one file line per live file in the log's scan order, paged by maxFiles.
/// </summary>
internal static class SnapshotQuery
{
    public static async Task RunAsync(QueryContext query, QueryPageToken? page)
    {
        var request = query.Request;
        var table = query.Table;
        var ct = query.Aborted;
        var timeTravel = request.Version is not null || request.Timestamp is not null;

        // The version asked for; null for the latest, which the segment's own log listing decides.
        long? pinned = null;
        if (page is not null)
            pinned = page.Version;
        else if (request.Version is { } v)
            pinned = v;
        else if (request.Timestamp is { } ts)
            pinned = await table.VersionAsOfAsync(RequestParameters.Timestamp("timestamp", ts), ct);
        else if (request.RefreshToken is { } refresh)
            pinned = query.Server.Tokens.DecodeRefresh(refresh, table).Version;

        var segment = await table.SegmentAsync(pinned, ct);
        // File lines carry stats, which the snapshot does not keep: the full adds are re-read from the log, once for
        // all the pages of this snapshot. A stable order is what makes a page token's index meaningful.
        var (snapshot, files) = await table.PagedSnapshotAsync(segment, ct);
        try
        {
            await WriteAsync(query, table, segment, page, timeTravel, snapshot, files);
        }
        finally
        {
            files.Release();
        }
    }

    private static async Task WriteAsync(QueryContext query, SharedTable table, LogSegment segment, QueryPageToken? page, bool timeTravel,
        Snapshot snapshot, SpilledAdds files)
    {
        var request = query.Request;
        var ct = query.Aborted;
        var version = segment.Version;
        query.Begin(snapshot.Protocol!, snapshot.Metadata!, version);
        var lines = query.Lines;
        lines.Protocol(snapshot.Protocol!, null);
        lines.Metadata(snapshot.Metadata!, timeTravel ? version : null, snapshot);

        var start = Math.Min(page?.ResumeIndex ?? 0, files.Count);
        var end = (int)Math.Min((long)start + query.PageSize, files.Count);
        for (var i = start; i < end; i++)
        {
            lines.SnapshotFile(files[i], timeTravel ? version : null, timeTravel ? snapshot.Timestamp : null);
            await query.Output.FlushIfDueAsync(ct);
        }

        if (end == files.Count)
            table.PagesServed(segment);
        if (query.WantsEndStream)
        {
            var next = end < files.Count
                ? query.Server.Tokens.EncodePage(new QueryPageToken(table.Id, query.Checksum, version, null, null, version, end, query.Server.Tokens.PageExpiry))
                : null;
            var refreshToken = request.IncludeRefreshToken || request.RefreshToken is not null
                ? query.Server.Tokens.NewRefreshToken(table, version)
                : null;
            lines.EndStream(next, refreshToken);
        }
        await query.Output.FlushAsync(ct);
    }
}
