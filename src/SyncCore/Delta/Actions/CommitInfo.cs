namespace ReplicaSync.Delta;

/// <summary>The free-form <c>commitInfo</c> action; every field lives in <see cref="DeltaAction.Extra"/> except the timestamps.</summary>
public sealed class CommitInfo : DeltaAction
{
    public long? Timestamp { get; set; }
    public long? InCommitTimestamp { get; set; }
    public string? Operation { get; set; }
}
