using ReplicaSync.Delta;
using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Sync;

/// <summary>
/// A planned version on its way to the committer: its plan, the commit's actions (already applied to the planner's
/// state) and its copies.
/// </summary>
internal sealed class PendingCommit(VersionPlan plan, IReadOnlyList<DeltaAction> actions, VersionCopy copy)
{
    public VersionPlan Plan { get; } = plan;
    public IReadOnlyList<DeltaAction> Actions { get; } = actions;
    public VersionCopy Copy { get; } = copy;
}
