using ReplicaSync.Sharing;

namespace ReplicaSync.Sync.Steps;

/// <summary>
/// Asks whether the provider shares a table's history: <c>/version?startingTimestamp=</c> at the epoch answers the
/// earliest shared version, and 400 when history is not shared (as Databricks and the reference server do).
/// </summary>
internal static class HistoryProbe
{
    /// <summary>The earliest version the provider shares history from, or null when it shares none.</summary>
    public static async Task<long?> EarliestVersionAsync(SharingClient client, TableAddress table, CancellationToken ct)
    {
        try
        {
            return await client.GetTableVersionAsync(table, DateTimeOffset.UnixEpoch, ct);
        }
        catch (SharingHttpException e) when (e.StatusCode == 400)
        {
            return null;
        }
    }
}
