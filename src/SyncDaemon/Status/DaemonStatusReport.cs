namespace ReplicaSync.Daemon.Status;

/// <summary>What <c>/status</c> answers and the status page shows: this node, the cluster's nodes, and every table.</summary>
public sealed record DaemonStatusReport
{
    /// <summary>The node that answered.</summary>
    public required string Node { get; init; }
    public required bool Draining { get; init; }
    /// <summary>Every node of the cluster, this one first (alone: just this one, without check-in times).</summary>
    public required IReadOnlyList<NodeStatus> Nodes { get; init; }
    public required IReadOnlyList<TableStatus> Tables { get; init; }
}

/// <summary>One node as the cluster's check-ins show it: <c>alive</c>, <c>overdue</c> (missed a check-in) or <c>failed</c> (its work is being recovered).</summary>
public sealed record NodeStatus(string Id, string State, DateTimeOffset? LastCheckIn, bool Current);
