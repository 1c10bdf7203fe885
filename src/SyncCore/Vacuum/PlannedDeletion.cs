namespace ReplicaSync.Vacuum;

/// <summary>One file a vacuum deletes: its storage key, size and reason.</summary>
public sealed record PlannedDeletion(string Path, long Size, DeletionReason Reason)
{
    /// <summary>The reason as the CLI prints it.</summary>
    public string ReasonText => Describe(Reason);

    public static string Describe(DeletionReason reason) => reason switch
    {
        DeletionReason.ExpiredTombstone => "expired tombstone",
        DeletionReason.ExpiredChangeData => "expired change data",
        DeletionReason.Unreferenced => "unreferenced",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
