using System.Text.Json;
using Npgsql;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Scheduling;
using ReplicaSync.Daemon.Status;

namespace ReplicaSync.Daemon.Cluster;

/// <summary>
/// The cluster's shared view of its tables, in PostgreSQL: each table's last known state (written by the node that
/// runs it, in <c>replicasync_table_status</c>) and which node runs it right now (Quartz's executing firings).
/// </summary>
public sealed class SharedStatus(ClusterSettings cluster) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(cluster.Postgres);

    /// <summary>
    /// Writes this node's changed table states. A row only moves forward in time: a write that arrives late (its
    /// change older than the row's) is dropped, so a slow node cannot overwrite the newer state another node wrote.
    /// </summary>
    public async Task PublishAsync(string node, IReadOnlyList<StatusChange> changes, CancellationToken ct)
    {
        if (changes.Count == 0)
            return;
        await using var batch = _db.CreateBatch();
        foreach (var change in changes)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO replicasync_table_status (table_name, node, updated_at, status) VALUES (@table, @node, @at, @status::jsonb)
                ON CONFLICT (table_name) DO UPDATE SET node = excluded.node, updated_at = excluded.updated_at, status = excluded.status
                WHERE replicasync_table_status.updated_at <= excluded.updated_at
                """);
            command.Parameters.AddWithValue("table", change.Status.Name);
            command.Parameters.AddWithValue("node", change.Status.Node ?? node);
            command.Parameters.AddWithValue("at", change.ChangedAt.UtcDateTime);
            command.Parameters.AddWithValue("status", JsonSerializer.Serialize(change.Status with { Node = change.Status.Node ?? node }, StatusJsonContext.Default.TableStatus));
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Every table's last shared state, by table name.</summary>
    public async Task<Dictionary<string, TableStatus>> ReadAsync(CancellationToken ct)
    {
        var tables = new Dictionary<string, TableStatus>(StringComparer.Ordinal);
        await using var command = _db.CreateCommand("SELECT table_name, status::text FROM replicasync_table_status");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (JsonSerializer.Deserialize(reader.GetString(1), StatusJsonContext.Default.TableStatus) is { } status)
                tables[reader.GetString(0)] = status;
        }
        return tables;
    }

    /// <summary>The tables whose job is executing right now, with the node (Quartz instance id) executing it.</summary>
    public async Task<Dictionary<string, string>> RunningAsync(CancellationToken ct)
    {
        var running = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = _db.CreateCommand("""
            SELECT job_name, instance_name FROM qrtz_fired_triggers
            WHERE sched_name = @scheduler AND job_group = @group AND state = 'EXECUTING'
            """);
        command.Parameters.AddWithValue("scheduler", Schedules.ClusterSchedulerName);
        command.Parameters.AddWithValue("group", Schedules.Group);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            running[reader.GetString(0)] = reader.GetString(1);
        return running;
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
