namespace ReplicaSync.Delta;

/// <summary>
/// Columns shared by add and remove rows: path, partition values, size, tags, deletion vector, row tracking. Without
/// <c>details</c>, stats and tags are not decoded and read as null.
/// </summary>
internal abstract class FileActionColumns
{
    private readonly int _actionDef;
    private readonly int _dvDef;
    protected readonly ScalarCursor PathColumn, Size, DataChange, BaseRowId, DefaultRowCommitVersion;
    protected readonly ScalarCursor DvType, DvPath, DvOffset, DvSize, DvCardinality;
    protected readonly (RepeatedCursor, RepeatedCursor) PartitionValues, Tags;

    protected FileActionColumns(CheckpointRowGroup group, string action, bool details)
    {
        _actionDef = group.DefOf(action);
        _dvDef = group.DefOf(action, "deletionVector");
        PathColumn = group.Scalar(action, "path");
        Size = group.Scalar(action, "size");
        DataChange = group.Scalar(action, "dataChange");
        BaseRowId = group.Scalar(action, "baseRowId");
        DefaultRowCommitVersion = group.Scalar(action, "defaultRowCommitVersion");
        DvType = group.Scalar(action, "deletionVector", "storageType");
        DvPath = group.Scalar(action, "deletionVector", "pathOrInlineDv");
        DvOffset = group.Scalar(action, "deletionVector", "offset");
        DvSize = group.Scalar(action, "deletionVector", "sizeInBytes");
        DvCardinality = group.Scalar(action, "deletionVector", "cardinality");
        PartitionValues = group.Map(action, "partitionValues");
        Tags = details ? group.Map(action, "tags") : (new RepeatedCursor(null, 0), new RepeatedCursor(null, 0));
    }

    /// <summary>Advances the shared columns; true when this row holds this action.</summary>
    protected bool NextShared(out Dictionary<string, string?>? partitionValues, out Dictionary<string, string?>? tags, out DeletionVectorDescriptor? dv)
    {
        foreach (var c in (ReadOnlySpan<ScalarCursor>)[PathColumn, Size, DataChange, BaseRowId, DefaultRowCommitVersion, DvType, DvPath, DvOffset, DvSize, DvCardinality])
            c.Next();
        partitionValues = CheckpointRowGroup.ReadMap(PartitionValues);
        tags = CheckpointRowGroup.ReadMap(Tags);
        dv = DvType.Def >= _dvDef
            ? new DeletionVectorDescriptor
            {
                StorageType = DvType.String ?? "", PathOrInlineDv = DvPath.String ?? "", Offset = DvOffset.Int32,
                SizeInBytes = DvSize.Int32 ?? 0, Cardinality = DvCardinality.Int64 ?? 0,
            }
            : null;
        return PathColumn.Def >= _actionDef && PathColumn.HasValue;
    }
}

/// <summary>The <c>add</c> columns of a checkpoint.</summary>
internal sealed class AddColumns(CheckpointRowGroup group, bool details) : FileActionColumns(group, "add", details), IActionColumns
{
    private readonly ScalarCursor _modificationTime = group.Scalar("add", "modificationTime");
    private readonly ScalarCursor _stats = details ? group.Scalar("add", "stats") : new ScalarCursor(null);
    private readonly ScalarCursor _clusteringProvider = group.Scalar("add", "clusteringProvider");

    public DeltaAction? Next()
    {
        _modificationTime.Next();
        _stats.Next();
        _clusteringProvider.Next();
        if (!NextShared(out var partitionValues, out var tags, out var dv))
            return null;
        return new AddFile
        {
            Path = PathColumn.String!, PartitionValues = partitionValues ?? [], Size = Size.Int64 ?? 0,
            ModificationTime = _modificationTime.Int64 ?? 0, DataChange = DataChange.Boolean ?? false, Stats = _stats.String,
            Tags = tags, DeletionVector = dv, BaseRowId = BaseRowId.Int64, DefaultRowCommitVersion = DefaultRowCommitVersion.Int64,
            ClusteringProvider = _clusteringProvider.String,
        };
    }
}

/// <summary>The <c>remove</c> columns (tombstones) of a checkpoint, without stats and tags: snapshots and checkpoints drop them.</summary>
internal sealed class RemoveColumns(CheckpointRowGroup group) : FileActionColumns(group, "remove", details: false), IActionColumns
{
    private readonly ScalarCursor _deletionTimestamp = group.Scalar("remove", "deletionTimestamp");
    private readonly ScalarCursor _extendedFileMetadata = group.Scalar("remove", "extendedFileMetadata");

    public DeltaAction? Next()
    {
        _deletionTimestamp.Next();
        _extendedFileMetadata.Next();
        if (!NextShared(out var partitionValues, out var tags, out var dv))
            return null;
        return new RemoveFile
        {
            Path = PathColumn.String!, DeletionTimestamp = _deletionTimestamp.Int64, DataChange = DataChange.Boolean ?? false,
            ExtendedFileMetadata = _extendedFileMetadata.Boolean, PartitionValues = partitionValues, Size = Size.Int64,
            Tags = tags, DeletionVector = dv, BaseRowId = BaseRowId.Int64, DefaultRowCommitVersion = DefaultRowCommitVersion.Int64,
        };
    }
}
