namespace ReplicaSync.Sharing;

/// <summary>What a <see cref="FileLine"/> does to the table: adds a data file, removes one, or names a change-data file.</summary>
public enum FileActionKind
{
    Add,
    Remove,
    Cdf,
}
