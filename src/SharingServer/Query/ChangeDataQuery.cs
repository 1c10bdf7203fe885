using ReplicaSync.Delta;
using ReplicaSync.Sync.ChangeData;

namespace ReplicaSync.SharingServer;

/// <summary>
/// Answers <c>GET …/changes</c> (the change data feed) for versions [S, E]: protocol and metaData, then per commit
/// its <c>cdc</c> files when it has any, else its add/remove actions with dataChange=true, each stamped with the
/// commit's version and time. Like Delta and Databricks, the whole range is refused (400) when change data was not
/// recorded for one of its versions (<c>delta.enableChangeDataFeed</c> not true there). With maxFiles, pages cut
/// between file lines and resume at (commit, file index); the token pins the resolved range and latest version.
/// </summary>
internal static class ChangeDataQuery
{
    public static async Task RunAsync(QueryContext query, ChangesRequest request, QueryPageToken? page)
    {
        var table = query.Table;
        var ct = query.Aborted;
        var (earliest, current) = await table.VersionRangeAsync(ct);
        var latest = page?.LatestVersion ?? current;
        var (start, end) = page is { EndVersion: { } pinnedEnd } ? (page.Version, pinnedEnd) : await request.ResolveAsync(table, latest, ct);
        if (earliest > 0 && start <= earliest)
            throw SharingException.InvalidParameter($"You can only query table changes since version {earliest + 1}");

        var before = start == 0 ? new Snapshot() : await table.SnapshotAsync(start - 1, (earliest, current), ct);
        await CheckRecordedAsync(table, before.Metadata, start, end, ct);
        var head = request.IncludeHistoricalMetadata ? null : await table.SnapshotAsync(latest, (earliest, current), ct);
        var state = before;
        var resumeVersion = page?.ResumeVersion ?? start;
        var resumeIndex = page?.ResumeIndex ?? 0;
        var emitted = 0;
        await foreach (var commit in table.Log.ReadCommitsAsync(start, end, ct))
        {
            var v = commit.Version;
            var removed = commit.Actions.OfType<RemoveFile>().Where(r => r.DataChange).ToDictionary(r => r, r => state.Files.GetValueOrDefault(r.Key));
            state.Apply(commit);
            if (v == start)
                Begin(query, request, head ?? state, start);
            if (v < resumeVersion)
                continue;
            var files = FilesOf(commit);
            var first = v == resumeVersion ? resumeIndex : 0;
            if (first == 0 && v > start)
            {
                if (emitted == query.PageSize && files.Count > 0)
                {
                    await CutAsync(query, start, latest, end, v, 0);
                    return;
                }
                WriteHistory(query, request, commit, state);
            }
            for (var i = first; i < files.Count; i++)
            {
                if (emitted == query.PageSize)
                {
                    await CutAsync(query, start, latest, end, v, i);
                    return;
                }
                WriteFile(query, commit, files[i], removed);
                emitted++;
                await query.Output.FlushIfDueAsync(ct);
            }
        }
        if (query.WantsEndStream)
            query.Lines.EndStream(nextPageToken: null, refreshToken: null);
        await query.Output.FlushAsync(ct);
        await table.KeepAsync(state, ct);
    }

    /// <summary>Refuses the range before anything is written when a version in it did not record change data.</summary>
    private static async Task CheckRecordedAsync(SharedTable table, Metadata? before, long start, long end, CancellationToken ct)
    {
        var metadata = before;
        await foreach (var commit in table.Log.ReadCommitsAsync(start, end, ct))
        {
            metadata = commit.Actions.OfType<Metadata>().LastOrDefault() ?? metadata;
            if (metadata is null || !ChangeDataSpans.IsEnabled(metadata))
                throw SharingException.InvalidParameter(
                    $"Error getting change data for range [{start}, {end}] as change data was not recorded for version [{commit.Version}]");
        }
    }

    private static void Begin(QueryContext query, ChangesRequest request, Snapshot head, long start)
    {
        query.Begin(head.Protocol!, head.Metadata!, start);
        query.Lines.Protocol(head.Protocol!, HistoricalProtocol(query, request) ? start : null);
        query.Lines.Metadata(head.Metadata!, start, head);
    }

    private static void WriteHistory(QueryContext query, ChangesRequest request, Commit commit, Snapshot state)
    {
        if (HistoricalProtocol(query, request) && commit.Actions.OfType<Protocol>().Any())
            query.Lines.Protocol(state.Protocol!, commit.Version);
        if (request.IncludeHistoricalMetadata && commit.Actions.OfType<Metadata>().Any())
            query.Lines.Metadata(state.Metadata!, commit.Version, state);
    }

    // A commit with change data files is described by them alone; its adds and removes would count rows twice.
    private static List<DeltaAction> FilesOf(Commit commit)
    {
        var changes = commit.Actions.Where(a => a is CdcFile).ToList();
        return changes.Count > 0 ? changes : commit.Actions.Where(a => a is AddFile { DataChange: true } or RemoveFile { DataChange: true }).ToList();
    }

    private static void WriteFile(QueryContext query, Commit commit, DeltaAction file, Dictionary<RemoveFile, LiveFile?> removed)
    {
        switch (file)
        {
            case CdcFile change:
                query.Lines.ChangeDataFile(change, commit.Version, commit.Timestamp);
                break;
            case AddFile add:
                query.Lines.AddedFile(add, commit.Version, commit.Timestamp);
                break;
            case RemoveFile remove:
                query.Lines.RemovedFile(remove, removed[remove], commit.Version, commit.Timestamp);
                break;
        }
    }

    /// <summary>Ends a full page with the token that resumes at file <paramref name="index"/> of commit <paramref name="version"/>.</summary>
    private static async Task CutAsync(QueryContext query, long start, long latest, long end, long version, int index)
    {
        var tokens = query.Server.Tokens;
        var next = new QueryPageToken(query.Table.Id, query.Checksum, start, latest, end, version, index, tokens.PageExpiry);
        query.Lines.EndStream(tokens.EncodePage(next), refreshToken: null);
        await query.Output.FlushAsync(query.Aborted);
    }

    private static bool HistoricalProtocol(QueryContext query, ChangesRequest request) =>
        request.IncludeHistoricalProtocol && query.Options!.Format == ResponseFormat.Delta;
}
