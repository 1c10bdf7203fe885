using ReplicaSync.Delta;

namespace ReplicaSync.Sharing;

/// <summary>
/// A data file of the response with its pre-signed <see cref="Url"/> (a secret: log it only through <see cref="UrlRedactor"/>).
/// Parquet format: <c>file</c> and <c>add</c> map to <see cref="FileActionKind.Add"/>, partition value <c>""</c> to null,
/// <see cref="DataChange"/> is true and <see cref="DeltaAction"/> null. Delta format: the fields come from the wrapped
/// add/remove/cdc action, which is kept whole in <see cref="DeltaAction"/> (its <c>path</c> is the pre-signed URL).
/// </summary>
public sealed record FileLine(
    FileActionKind Kind,
    string Id,
    string Url,
    IReadOnlyDictionary<string, string?> PartitionValues,
    long? Size,
    string? Stats,
    bool DataChange,
    long? Version,
    long? Timestamp,
    long? ExpirationTimestamp,
    string? DeletionVectorFileId,
    DeltaAction? DeltaAction) : SharingLine
{
    /// <summary>Keeps the pre-signed URL out of logs: the default record printout would show its signature.</summary>
    public override string ToString() =>
        $"FileLine {{ Kind = {Kind}, Id = {Id}, Url = {UrlRedactor.Redact(Url)}, Size = {Size}, Version = {Version} }}";
}
