using Quartz;
using ReplicaSync.Daemon.Cluster;
using ReplicaSync.Daemon.Scheduling;

namespace ReplicaSync.Daemon.Status;

/// <summary>
/// Builds the status report. Alone, from this process's status store. As a cluster node, from the shared status
/// (every table, whichever node ran it) and Quartz's executing firings (which node runs a table now), so any node
/// answers for the whole cluster; a table's own state here wins when it is the newer one.
/// </summary>
public sealed class StatusReporter(StatusStore status, ISchedulerFactory schedulers, DrainSignal drain, NodeIdentity node, TimeProvider clock,
    SharedStatus? shared = null)
{
    public async Task<DaemonStatusReport> ReportAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var now = clock.GetUtcNow();
        var rows = shared is null ? [] : await shared.ReadAsync(ct);
        var running = shared is null ? [] : await shared.RunningAsync(ct);
        var tables = new List<TableStatus>();
        foreach (var name in status.Names)
        {
            var table = status.Get(name);
            if (rows.TryGetValue(name, out var row) && (row.LastRun?.Start ?? default) > (table.LastRun?.Start ?? default))
                table = StatusStore.WithDerived(row, now);
            if (shared is not null)
                table = table with { Running = running.ContainsKey(name), Node = running.GetValueOrDefault(name) ?? table.Node };
            var trigger = await scheduler.GetTrigger(Schedules.TriggerKey(name), ct);
            tables.Add(table with { NextFireTime = trigger?.NextFireTimeUtc });
        }
        var nodes = (await scheduler.QueryClusterNodes(ct))
            .Select(n => new NodeStatus(n.IsCurrentNode ? node.Id : n.InstanceId, n.State.ToString().ToLowerInvariant(), n.LastCheckInUtc, n.IsCurrentNode))
            .ToList();
        return new DaemonStatusReport { Node = node.Id, Draining = drain.IsDraining, Nodes = nodes, Tables = tables };
    }
}
