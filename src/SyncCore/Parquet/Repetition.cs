namespace ReplicaSync.Parquet;

/// <summary>How often a schema node occurs in its parent.</summary>
public enum Repetition
{
    Required,
    Optional,
    Repeated,
}
