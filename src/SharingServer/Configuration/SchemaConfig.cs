namespace ReplicaSync.SharingServer;

/// <summary>One schema inside a share: a named group of tables.</summary>
public sealed class SchemaConfig
{
    public string Name { get; set; } = "";
    public List<TableConfig> Tables { get; set; } = [];
}
