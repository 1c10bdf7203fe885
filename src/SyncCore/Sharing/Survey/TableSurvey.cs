using ReplicaSync.Delta;

namespace ReplicaSync.Sharing.Survey;

/// <summary>
/// Answers "what can I replicate?" for a profile: every share.schema.table it grants (all list pages), each with its
/// latest version, whether its history is shared (a <c>/version?startingTimestamp=</c> probe: 400 means no history)
/// and whether its change data is (<c>delta.enableChangeDataFeed</c> in its metadata, which needs history too).
/// </summary>
public sealed class TableSurvey(SharingClient client, string profilePath, int parallelism = 4)
{
    /// <summary>Every granted table, in the server's list order.</summary>
    public async Task<IReadOnlyList<TableInfo>> ListAsync(CancellationToken ct)
    {
        var tables = new List<TableInfo>();
        await foreach (var share in client.ListSharesAsync(ct).ConfigureAwait(false))
        {
            await foreach (var table in client.ListAllTablesAsync(share.Name, ct).ConfigureAwait(false))
                tables.Add(table);
        }
        return tables;
    }

    /// <summary>Every granted table with its details; a table whose details fail still appears, with the error.</summary>
    public async Task<IReadOnlyList<TableSummary>> DescribeAsync(IReadOnlyList<TableInfo> tables, CancellationToken ct)
    {
        var summaries = new TableSummary[tables.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, tables.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (i, token) => summaries[i] = await DescribeAsync(tables[i], token).ConfigureAwait(false)).ConfigureAwait(false);
        return summaries;
    }

    private async Task<TableSummary> DescribeAsync(TableInfo info, CancellationToken ct)
    {
        var address = new TableAddress(profilePath, info.Share, info.Schema, info.Name);
        var summary = new TableSummary(info.Share, info.Schema, info.Name, null, null, null, null);
        try
        {
            summary = summary with { Version = await client.GetTableVersionAsync(address, null, ct).ConfigureAwait(false) };
            summary = summary with { HistoryShared = await HistorySharedAsync(address, ct).ConfigureAwait(false) };
            if (summary.HistoryShared == false)
                return summary with { ChangeDataShared = false };
            var metadata = await client.GetMetadataAsync(address, null, ct).ConfigureAwait(false);
            return summary with { ChangeDataShared = ChangeDataFeedOn(metadata.Metadata.Metadata) };
        }
        catch (SharingException e)
        {
            return summary with { Error = e.Message };
        }
    }

    private async Task<bool> HistorySharedAsync(TableAddress address, CancellationToken ct)
    {
        try
        {
            await client.GetTableVersionAsync(address, DateTimeOffset.UnixEpoch, ct).ConfigureAwait(false);
            return true;
        }
        catch (SharingHttpException e) when (e.StatusCode == 400)
        {
            return false;
        }
    }

    // The delta format carries the table property; the parquet format shows the reference server's short key.
    private static bool ChangeDataFeedOn(Metadata metadata) =>
        IsTrue(metadata.Configuration, "delta.enableChangeDataFeed") || IsTrue(metadata.Configuration, "enableChangeDataFeed");

    private static bool IsTrue(Dictionary<string, string?> configuration, string key) =>
        configuration.TryGetValue(key, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
}
