namespace ReplicaSync.Delta;

/// <summary>How Delta reconciles file actions: the path plus the deletion vector's unique id.</summary>
public readonly record struct FileKey(string Path, string? DeletionVectorId);
