namespace ReplicaSync.Delta;

/// <summary>
/// The fields of an add or remove that log replay keeps. Deserializing into this type skips stats, tags and
/// unknown fields without materialising them, which is most of the bytes of a commit.
/// </summary>
internal sealed class SlimFileAction
{
    public string Path { get; set; } = "";
    public Dictionary<string, string?>? PartitionValues { get; set; }
    public long? Size { get; set; }
    public long ModificationTime { get; set; }
    public long? DeletionTimestamp { get; set; }
    public bool DataChange { get; set; }
    public bool? ExtendedFileMetadata { get; set; }
    public DeletionVectorDescriptor? DeletionVector { get; set; }
    public long? BaseRowId { get; set; }
    public long? DefaultRowCommitVersion { get; set; }

    public AddFile ToAdd() => new()
    {
        Path = Path, PartitionValues = PartitionValues ?? [], Size = Size ?? 0, ModificationTime = ModificationTime,
        DataChange = DataChange, DeletionVector = DeletionVector, BaseRowId = BaseRowId, DefaultRowCommitVersion = DefaultRowCommitVersion,
    };

    public RemoveFile ToRemove() => new()
    {
        Path = Path, PartitionValues = PartitionValues, Size = Size, DeletionTimestamp = DeletionTimestamp, DataChange = DataChange,
        ExtendedFileMetadata = ExtendedFileMetadata, DeletionVector = DeletionVector, BaseRowId = BaseRowId,
        DefaultRowCommitVersion = DefaultRowCommitVersion,
    };
}
