namespace ReplicaSync.Delta;

/// <summary>
/// The leaf builders shared by add and remove rows (path, partition values, size, tags, deletion vector, row
/// tracking), looked up once: file actions are nearly every row of a checkpoint.
/// </summary>
internal sealed class FileActionBuilders(Func<string, ColumnBuilder> column, Func<string, MapBuilders> map)
{
    public ColumnBuilder Path { get; } = column("path");
    public MapBuilders PartitionValues { get; } = map("partitionValues");
    public ColumnBuilder Size { get; } = column("size");
    public ColumnBuilder DataChange { get; } = column("dataChange");
    public MapBuilders Tags { get; } = map("tags");
    public ColumnBuilder BaseRowId { get; } = column("baseRowId");
    public ColumnBuilder DefaultRowCommitVersion { get; } = column("defaultRowCommitVersion");

    private readonly ColumnBuilder _dvType = column("deletionVector.storageType"), _dvPath = column("deletionVector.pathOrInlineDv"),
        _dvOffset = column("deletionVector.offset"), _dvSize = column("deletionVector.sizeInBytes"),
        _dvCardinality = column("deletionVector.cardinality");

    public void DeletionVector(DeletionVectorDescriptor? dv)
    {
        if (dv is null)
        {
            foreach (var field in (ReadOnlySpan<ColumnBuilder>)[_dvType, _dvPath, _dvOffset, _dvSize, _dvCardinality])
                field.Null(1);
            return;
        }
        _dvType.Add(dv.StorageType);
        _dvPath.Add(dv.PathOrInlineDv);
        _dvOffset.Add(dv.Offset);
        _dvSize.Add(dv.SizeInBytes);
        _dvCardinality.Add(dv.Cardinality);
    }
}
