using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Sync;

/// <summary>A planned version on its way to the committer: its plan, its copies, and a signal once its commit is written.</summary>
internal sealed class PendingCommit(VersionPlan plan, long? inCommitTimestamp, VersionCopy copy)
{
    public VersionPlan Plan { get; } = plan;
    public long? InCommitTimestamp { get; } = inCommitTimestamp;
    public VersionCopy Copy { get; } = copy;
    public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
