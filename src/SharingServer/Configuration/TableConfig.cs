namespace ReplicaSync.SharingServer;

/// <summary>One shared Delta table and where it lives.</summary>
public sealed class TableConfig
{
    public string Name { get; set; } = "";
    /// <summary>The table root directory; relative paths in a config file are relative to that file's directory.</summary>
    public string Location { get; set; } = "";
    /// <summary>When false, time travel and change queries are refused, as the protocol's history sharing flag says.</summary>
    public bool HistoryShared { get; set; } = true;
    /// <summary>Stable id reported to clients and bound into tokens; derived from the names when not set.</summary>
    public string? Id { get; set; }
    /// <summary>
    /// When set, file URLs point to <c>{FileUrlBase}/{key}?expires=&amp;sig=</c> on a static server (e.g. nginx) that
    /// serves the table directory, instead of this server's signed file endpoint. For benchmarks: that server
    /// does not check the signature.
    /// </summary>
    public string? FileUrlBase { get; set; }
}
