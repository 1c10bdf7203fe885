namespace ReplicaSync.Delta;

/// <summary>
/// What a <see cref="Snapshot"/> keeps of a live file: only the fields replay and planning need. The full add
/// action (stats, tags, row tracking…) stays in the log and is re-read with <see cref="DeltaLog.ScanLiveAddsAsync"/>
/// when a checkpoint is written or a snapshot is served, so a million-file snapshot does not hold every stats JSON.
/// The snapshot stores files packed (<see cref="LiveFiles"/>) and makes one of these when it is asked for.
/// </summary>
public sealed class LiveFile
{
    internal LiveFile(string path, Dictionary<string, string?> partitionValues, long size, long modificationTime, DeletionVectorDescriptor? deletionVector)
    {
        Path = path;
        PartitionValues = partitionValues;
        Size = size;
        ModificationTime = modificationTime;
        DeletionVector = deletionVector;
    }

    /// <summary>The add's path as the log has it (URI-encoded, relative to the table root or absolute).</summary>
    public string Path { get; }
    /// <summary>The snapshot's pooled map, shared by every file of the partition: never mutate it.</summary>
    public IReadOnlyDictionary<string, string?> PartitionValues { get; }
    public long Size { get; }
    public long ModificationTime { get; }
    public DeletionVectorDescriptor? DeletionVector { get; }

    /// <summary>The key a reader reconciles this file by.</summary>
    public FileKey Key => new(Path, DeletionVector?.UniqueId);
}
