using ReplicaSync.Sharing;

namespace ReplicaSync.Sync.Steps;

/// <summary>
/// The provider refused the replica's first change-feed query with 400 and the history probe confirmed that it
/// shares no history: the run follows the table by a snapshot step instead.
/// </summary>
internal sealed class HistoryNotSharedException(SharingHttpException refusal)
    : Exception("the provider shares no history of this table", refusal);
