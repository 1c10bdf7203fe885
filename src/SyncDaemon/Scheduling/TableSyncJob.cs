using Quartz;

namespace ReplicaSync.Daemon.Scheduling;

/// <summary>The Quartz job of one table (the job key is the table name); never runs twice at once for a table.</summary>
[DisallowConcurrentExecution]
public sealed class TableSyncJob(TableRunner runner) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) =>
        await runner.RunAsync(context.JobDetail.Key.Name, ct);
}
