namespace ReplicaSync.Daemon.Configuration;

/// <summary>
/// Running as one node of a cluster: Quartz's clustered ADO.NET job store in PostgreSQL, shared by every node, which
/// runs each table on one node at a time and hands a dead node's tables to the others.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>The Npgsql connection string of the database every node shares (it may hold a password: never print it).</summary>
    public required string Postgres { get; init; }

    /// <summary>
    /// How often a node records in the database that it is alive. A node silent for longer than twice this is declared
    /// dead by the next node to check in, which hands its running tables to the cluster.
    /// </summary>
    public required TimeSpan CheckinInterval { get; init; }
}
