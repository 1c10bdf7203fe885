namespace ReplicaSync.SharingServer;

/// <summary>One share: a named group of schemas offered to recipients.</summary>
public sealed class ShareConfig
{
    public string Name { get; set; } = "";
    /// <summary>Stable id reported to clients; derived from the name when not set.</summary>
    public string? Id { get; set; }
    public List<SchemaConfig> Schemas { get; set; } = [];
}
