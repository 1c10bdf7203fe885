using ReplicaSync.Delta;
using ReplicaSync.Sync.ChangeData;

namespace ReplicaSync.SharingServer;

/// <summary>
/// Answers <c>GET …/changes</c> (the change data feed) for versions [S, E]: protocol and metaData, then per commit
/// its <c>cdc</c> files when it has any, else its add/remove actions with dataChange=true, each stamped with the
/// commit's version and time. Like Delta and Databricks, the whole range is refused (400) when change data was not
/// recorded for one of its versions (<c>delta.enableChangeDataFeed</c> not true there).
/// </summary>
internal static class ChangeDataQuery
{
    public static async Task RunAsync(QueryContext query, ChangesRequest request)
    {
        var table = query.Table;
        var ct = query.Aborted;
        var (earliest, latest) = await table.VersionRangeAsync(ct);
        var (start, end) = await request.ResolveAsync(table, latest, ct);
        if (earliest > 0 && start <= earliest)
            throw SharingException.InvalidParameter($"You can only query table changes since version {earliest + 1}");

        var before = start == 0 ? new Snapshot() : await table.SnapshotAsync(start - 1, ct);
        await CheckRecordedAsync(table, before.Metadata, start, end, ct);
        var head = request.IncludeHistoricalMetadata ? null : await table.SnapshotAsync(null, ct);
        var state = before;
        await foreach (var commit in table.Log.ReadCommitsAsync(start, end, ct))
        {
            var v = commit.Version;
            var removed = commit.Actions.OfType<RemoveFile>().Where(r => r.DataChange).ToDictionary(r => r, r => state.Files.GetValueOrDefault(r.Key));
            state.Apply(commit);
            if (v == start)
                Begin(query, request, head ?? state, start);
            else
                WriteHistory(query, request, commit, state);
            WriteFiles(query, commit, removed);
            await query.Output.FlushIfDueAsync(ct);
        }
        if (query.WantsEndStream)
            query.Lines.EndStream(nextPageToken: null, refreshToken: null);
        await query.Output.FlushAsync(ct);
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
    private static void WriteFiles(QueryContext query, Commit commit, Dictionary<RemoveFile, LiveFile?> removed)
    {
        var changes = commit.Actions.OfType<CdcFile>().ToList();
        if (changes.Count > 0)
        {
            foreach (var change in changes)
                query.Lines.ChangeDataFile(change, commit.Version, commit.Timestamp);
            return;
        }
        foreach (var action in commit.Actions)
        {
            if (action is AddFile { DataChange: true } add)
                query.Lines.AddedFile(add, commit.Version, commit.Timestamp);
            else if (action is RemoveFile { DataChange: true } remove)
                query.Lines.RemovedFile(remove, removed[remove], commit.Version, commit.Timestamp);
        }
    }

    private static bool HistoricalProtocol(QueryContext query, ChangesRequest request) =>
        request.IncludeHistoricalProtocol && query.Options!.Format == ResponseFormat.Delta;
}
