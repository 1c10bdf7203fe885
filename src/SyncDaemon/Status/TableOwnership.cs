namespace ReplicaSync.Daemon.Status;

/// <summary>
/// Which tables this node reports state gauges for. Alone, every table. In a cluster, the tables this node ran last
/// (as the shared status says), so that each table's gauges come from one node at a time and a node that ran a table
/// an hour ago does not keep reporting its stale version beside the node that runs it now.
/// </summary>
public sealed class TableOwnership
{
    private volatile IReadOnlySet<string>? _owned;

    public bool Reports(string table) => _owned?.Contains(table) ?? true;

    /// <summary>From now on, only <paramref name="tables"/> are this node's to report.</summary>
    public void Set(IReadOnlySet<string> tables) => _owned = tables;
}
