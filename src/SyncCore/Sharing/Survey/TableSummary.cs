namespace ReplicaSync.Sharing.Survey;

/// <summary>
/// One table a profile grants, as <c>replicasync tables</c> shows it. <see cref="HistoryShared"/> and
/// <see cref="ChangeDataShared"/> are null when the server did not tell; <see cref="Error"/> says why a detail is missing.
/// </summary>
public sealed record TableSummary(string Share, string Schema, string Table, long? Version, bool? HistoryShared, bool? ChangeDataShared, string? Error)
{
    /// <summary><c>share.schema.table</c>.</summary>
    public string QualifiedName => $"{Share}.{Schema}.{Table}";
}
