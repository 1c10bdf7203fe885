namespace ReplicaSync.SharingServer;

/// <summary>One shared Delta table and where it lives.</summary>
public sealed class TableConfig
{
    public string Name { get; set; } = "";
    /// <summary>
    /// The table root: a directory (relative paths in a config file are relative to that file's directory), <c>file://</c>,
    /// or a store address (<c>s3://</c>, <c>az://</c>, <c>abfss://</c>, <c>gs://</c>) opened with the sync's environment
    /// credentials. File URLs of store tables are pre-signed by the store; local tables get this server's signed URLs.
    /// </summary>
    public string Location { get; set; } = "";
    /// <summary>When false, time travel and change queries are refused, as the protocol's history sharing flag says.</summary>
    public bool HistoryShared { get; set; } = true;
    /// <summary>Stable id reported to clients and bound into tokens; derived from the names when not set.</summary>
    public string? Id { get; set; }
    /// <summary>
    /// When set, file URLs point to <c>{FileUrlBase}/{key}?expires=&amp;sig=</c> on a static server (e.g. nginx) that
    /// serves the table directory, instead of this server's signed file endpoint (local tables only). For benchmarks:
    /// that server does not check the signature.
    /// </summary>
    public string? FileUrlBase { get; set; }
}
