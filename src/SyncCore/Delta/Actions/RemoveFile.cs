namespace ReplicaSync.Delta;

/// <summary>The <c>remove</c> action: a data file that leaves the table (a tombstone until vacuumed).</summary>
public sealed class RemoveFile : DeltaAction
{
    public string Path { get; set; } = "";
    public long? DeletionTimestamp { get; set; }
    public bool DataChange { get; set; }
    public bool? ExtendedFileMetadata { get; set; }
    public Dictionary<string, string?>? PartitionValues { get; set; }
    public long? Size { get; set; }
    public string? Stats { get; set; }
    public Dictionary<string, string?>? Tags { get; set; }
    public DeletionVectorDescriptor? DeletionVector { get; set; }
    public long? BaseRowId { get; set; }
    public long? DefaultRowCommitVersion { get; set; }

    /// <summary>The key a reader reconciles this file by.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public FileKey Key => new(Path, DeletionVector?.UniqueId);
}
