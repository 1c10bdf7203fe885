using Npgsql;
using Quartz;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Scheduling;

namespace ReplicaSync.Daemon.Cluster;

/// <summary>
/// Brings the shared Quartz store in line with this node's configuration at start-up: jobs and triggers of new tables
/// are added, tables no longer configured are removed, and a table whose schedule changed is rescheduled. A table
/// whose trigger already matches is left alone, so a node joining with the same configuration does not reset the
/// cluster's fire times or disturb a run in progress. Nodes reconcile one at a time, under an advisory lock.
/// </summary>
public sealed partial class ScheduleReconciler(DaemonSettings settings, ClusterSettings cluster, TimeProvider clock, ILogger<ScheduleReconciler> log)
{
    /// <summary>The advisory lock key nodes reconcile under.</summary>
    public const long ReconcileLock = ClusterSchema.SchemaLock + 1;

    public async Task<Reconciliation> ReconcileAsync(IScheduler scheduler, Random random, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(cluster.Postgres);
        await connection.OpenAsync(ct);
        await AdvisoryAsync(connection, "pg_advisory_lock", ct);
        try
        {
            var result = await ApplyAsync(scheduler, random, ct);
            LogReconciled(log, result.Added.Count, result.Rescheduled.Count, result.Removed.Count, result.Unchanged);
            return result;
        }
        finally
        {
            // Closing the session would release it too; unlocking at once lets the next node go on.
            await AdvisoryAsync(connection, "pg_advisory_unlock", CancellationToken.None);
        }
    }

    private async Task<Reconciliation> ApplyAsync(IScheduler scheduler, Random random, CancellationToken ct)
    {
        var configured = settings.Tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var job in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Schedules.Group), ct))
        {
            if (!configured.Contains(job.Name) && await scheduler.DeleteJob(job, ct))
                removed.Add(job.Name);
        }
        var added = new List<string>();
        var rescheduled = new List<string>();
        var unchanged = 0;
        foreach (var table in settings.Tables)
        {
            var job = Schedules.Job(table);
            var stored = await scheduler.GetJobDetail(job.Key, ct);
            if (stored is null || stored.Description != job.Description || !stored.RequestsRecovery || stored.JobType.Type != job.JobType.Type)
                await scheduler.AddJob(job, AddJobOptions.Replacing, ct);
            var start = clock.GetUtcNow() + random.NextDouble() * settings.StartupJitter;
            var trigger = Schedules.Trigger(table, settings, start);
            switch (await scheduler.GetTrigger(trigger.Key, ct))
            {
                case null:
                    await scheduler.ScheduleJob(trigger, new ScheduleJobOptions(), ct);
                    added.Add(table.Name);
                    break;
                case var existing when Schedules.Matches(existing, table) && existing.MisfireThreshold == settings.MisfireThreshold:
                    unchanged++;
                    break;
                default:
                    await scheduler.RescheduleJob(trigger.Key, trigger, ct);
                    rescheduled.Add(table.Name);
                    break;
            }
        }
        return new Reconciliation(added, rescheduled, removed, unchanged);
    }

    private static async Task AdvisoryAsync(NpgsqlConnection connection, string function, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@key)", connection);
        command.Parameters.AddWithValue("key", ReconcileLock);
        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "schedules reconciled into the cluster's store: {Added} added, {Rescheduled} rescheduled, {Removed} removed, {Unchanged} unchanged")]
    private static partial void LogReconciled(ILogger log, int added, int rescheduled, int removed, int unchanged);
}

/// <summary>What one reconciliation changed in the shared store, by table name.</summary>
public sealed record Reconciliation(IReadOnlyList<string> Added, IReadOnlyList<string> Rescheduled, IReadOnlyList<string> Removed, int Unchanged);
