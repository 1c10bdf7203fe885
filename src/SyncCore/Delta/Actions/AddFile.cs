namespace ReplicaSync.Delta;

/// <summary>The <c>add</c> action: a data file that becomes part of the table.</summary>
public sealed class AddFile : DeltaAction
{
    /// <summary>URI-encoded path, relative to the table root or absolute.</summary>
    public string Path { get; set; } = "";
    public Dictionary<string, string?> PartitionValues { get; set; } = [];
    public long Size { get; set; }
    public long ModificationTime { get; set; }
    public bool DataChange { get; set; }
    /// <summary>Column statistics as JSON text.</summary>
    public string? Stats { get; set; }
    public Dictionary<string, string?>? Tags { get; set; }
    public DeletionVectorDescriptor? DeletionVector { get; set; }
    public long? BaseRowId { get; set; }
    public long? DefaultRowCommitVersion { get; set; }
    public string? ClusteringProvider { get; set; }

    /// <summary>
    /// A copy whose maps and deletion vector are its own, so rewriting it (a replica path, a checksum tag, a DV moved)
    /// leaves this add as it was; strings and the unmodelled fields' values are immutable and shared.
    /// </summary>
    public AddFile Copy() => new()
    {
        Path = Path, PartitionValues = new(PartitionValues), Size = Size, ModificationTime = ModificationTime, DataChange = DataChange,
        Stats = Stats, Tags = Tags is null ? null : new(Tags), DeletionVector = DeletionVector?.Copy(), BaseRowId = BaseRowId,
        DefaultRowCommitVersion = DefaultRowCommitVersion, ClusteringProvider = ClusteringProvider, Extra = CopyOfExtra(),
    };

    /// <summary>The key a reader reconciles this file by.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public FileKey Key => new(Path, DeletionVector?.UniqueId);
}
