using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>
/// Answers a query with <c>startingVersion</c> S (and optional <c>endingVersion</c> E): protocol and metaData as of
/// S, then for each commit in [S, E] its metaData (and, on request, protocol) changes followed by its add/remove
/// actions with dataChange=true, each stamped with the commit's version and time. dataChange=false rewrites and
/// cdc files are left out. Pages cut between file actions and resume at (commit, action index).
/// </summary>
internal static class ChangesQuery
{
    public static async Task RunAsync(QueryContext query, QueryPageToken? page)
    {
        var request = query.Request;
        var table = query.Table;
        var ct = query.Aborted;
        var start = request.StartingVersion!.Value;

        // One listing gives the latest version (unless a page pinned it) and the earliest readable one.
        var (earliest, current) = await table.VersionRangeAsync(ct);
        var latest = page?.LatestVersion ?? current;
        if (start > latest)
            throw SharingException.InvalidParameter($"startingVersion {start} is after the latest version {latest}");
        if (request.EndingVersion > latest)
            throw SharingException.InvalidParameter($"endingVersion {request.EndingVersion} is after the latest version {latest}");
        var end = page?.EndVersion ?? request.EndingVersion ?? latest;
        var resumeVersion = page?.ResumeVersion ?? start;
        var resumeIndex = page?.ResumeIndex ?? 0;

        // The state before S, so that removes in S can be matched with the adds they cancel; a log that starts at a
        // checkpoint has that state only from the checkpoint on.
        if (earliest > 0 && start <= earliest)
            throw SharingException.InvalidParameter($"You can only query table changes since version {earliest + 1}");
        var state = start == 0 ? new Snapshot() : await table.SnapshotAsync(start - 1, (earliest, current), ct);
        var emitted = 0;
        await foreach (var commit in table.Log.ReadCommitsAsync(start, end, ct))
        {
            var v = commit.Version;
            var fileActions = commit.Actions.Where(a => a is AddFile { DataChange: true } or RemoveFile { DataChange: true }).ToList();
            var previous = fileActions.OfType<RemoveFile>().ToDictionary(r => r, r => state.Files.GetValueOrDefault(r.Key));
            state.Apply(commit);

            if (v == start)
                BeginAt(query, state, start);
            else
                CheckFormatStillFits(query, commit, state);
            if (v < resumeVersion)
                continue;

            var first = v == resumeVersion ? resumeIndex : 0;
            if (first == 0 && v > start)
            {
                if (emitted == query.PageSize && fileActions.Count > 0)
                {
                    await CutAsync(query, page, latest, end, state, 0);
                    return;
                }
                WriteChanges(query, commit, state);
            }
            for (var i = first; i < fileActions.Count; i++)
            {
                if (emitted == query.PageSize)
                {
                    await CutAsync(query, page, latest, end, state, i);
                    return;
                }
                if (fileActions[i] is AddFile add)
                    query.Lines.AddedFile(add, v, commit.Timestamp);
                else if (fileActions[i] is RemoveFile remove)
                    query.Lines.RemovedFile(remove, previous[remove], v, commit.Timestamp);
                emitted++;
                await query.Output.FlushIfDueAsync(ct);
            }
        }
        if (query.WantsEndStream)
            query.Lines.EndStream(nextPageToken: null, refreshToken: null);
        await query.Output.FlushAsync(ct);
        // The next window of a catch-up starts right after this one.
        await table.KeepAsync(state, ct);
    }

    private static void BeginAt(QueryContext query, Snapshot state, long start)
    {
        query.Begin(state.Protocol!, state.Metadata!, start);
        query.Lines.Protocol(state.Protocol!, HistoricalProtocol(query) ? start : null);
        query.Lines.Metadata(state.Metadata!, start, state);
    }

    /// <summary>The metaData (and requested protocol) lines of commit v &gt; S, ahead of its file lines.</summary>
    private static void WriteChanges(QueryContext query, Commit commit, Snapshot state)
    {
        if (HistoricalProtocol(query) && commit.Actions.OfType<Protocol>().Any())
            query.Lines.Protocol(state.Protocol!, commit.Version);
        if (commit.Actions.OfType<Metadata>().Any())
            query.Lines.Metadata(state.Metadata!, commit.Version, state);
    }

    // A table can gain deletion vectors or column mapping mid-range; parquet lines cannot express that.
    private static void CheckFormatStillFits(QueryContext query, Commit commit, Snapshot state)
    {
        if (query.Options!.Format != ResponseFormat.Parquet || !commit.Actions.Any(a => a is Protocol or Metadata))
            return;
        if (TableFeatures.ParquetBlocker(state.Protocol!, state.Metadata!) is { } blocker)
            throw SharingException.Unsupported($"Unsupported Delta Table Properties at version {commit.Version}: {blocker}; ask for responseformat=delta");
    }

    private static bool HistoricalProtocol(QueryContext query) =>
        query.Request.IncludeHistoricalProtocol && query.Options!.Format == ResponseFormat.Delta;

    /// <summary>Ends the page before action <paramref name="index"/> of the commit <paramref name="state"/> is at.</summary>
    private static async Task CutAsync(QueryContext query, QueryPageToken? page, long latest, long end, Snapshot state, int index)
    {
        var tokens = query.Server.Tokens;
        var start = query.Request.StartingVersion!.Value;
        var next = new QueryPageToken(query.Table.Id, query.Checksum, page?.Version ?? start, latest, end, state.Version, index, tokens.PageExpiry);
        query.Lines.EndStream(tokens.EncodePage(next), refreshToken: null);
        await query.Output.FlushAsync(query.Aborted);
        await query.Table.KeepAsync(state, query.Aborted);
    }
}
