using Npgsql;

namespace ReplicaSync.Daemon.Cluster;

/// <summary>
/// Creates the cluster's tables (Quartz's job store and ReplicaSync's run status) from the DDL checked in beside this
/// file. Every node runs it at start-up; it only creates what is missing, and holds a transaction-scoped advisory
/// lock while it does, so nodes starting together do not race on PostgreSQL's catalog.
/// </summary>
public static class ClusterSchema
{
    /// <summary>The advisory lock key the schema is created under (any constant that no other application uses).</summary>
    public const long SchemaLock = 0x5265_706C_5379_6E01;

    private const string Resource = "ReplicaSync.Daemon.Cluster.cluster_schema_postgres.sql";

    /// <summary>The DDL, as checked in (<c>src/SyncDaemon/Cluster/cluster_schema_postgres.sql</c>).</summary>
    public static string Ddl()
    {
        using var stream = typeof(ClusterSchema).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"the embedded resource {Resource} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static async Task ApplyAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", SchemaLock);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        await using (var ddl = new NpgsqlCommand(Ddl(), connection, transaction))
            await ddl.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
