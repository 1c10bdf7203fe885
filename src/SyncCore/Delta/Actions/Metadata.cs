namespace ReplicaSync.Delta;

/// <summary>The <c>metaData</c> action: table id, schema, partition columns and configuration.</summary>
public sealed class Metadata : DeltaAction
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public string? Description { get; set; }
    public FileFormat Format { get; set; } = new();
    public string SchemaString { get; set; } = "";
    public List<string> PartitionColumns { get; set; } = [];
    public Dictionary<string, string?> Configuration { get; set; } = [];
    public long? CreatedTime { get; set; }
}

/// <summary>The <c>format</c> of a <see cref="Metadata"/> action; always parquet in practice.</summary>
public sealed class FileFormat : DeltaAction
{
    public string Provider { get; set; } = "parquet";
    public Dictionary<string, string?> Options { get; set; } = [];
}
