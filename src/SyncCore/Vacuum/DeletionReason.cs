namespace ReplicaSync.Vacuum;

/// <summary>Why a file is deleted.</summary>
public enum DeletionReason
{
    /// <summary>Removed from the table longer ago than the retention.</summary>
    ExpiredTombstone,
    /// <summary>A change data file of a version committed longer ago than the retention.</summary>
    ExpiredChangeData,
    /// <summary>No commit references it (left by a crashed writer) and it is older than the grace period.</summary>
    Unreferenced,
}
