using Quartz;

namespace ReplicaSync.Daemon.Cluster;

/// <summary>Reconciles this node's tables into the cluster's store before the scheduler starts (it is registered before Quartz's hosted service).</summary>
public sealed class ClusterStartup(ISchedulerFactory schedulers, ScheduleReconciler reconciler) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await reconciler.ReconcileAsync(scheduler, Random.Shared, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
