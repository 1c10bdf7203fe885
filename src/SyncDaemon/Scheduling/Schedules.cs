using Quartz;
using ReplicaSync.Daemon.Configuration;

namespace ReplicaSync.Daemon.Scheduling;

/// <summary>
/// The Quartz job and trigger of each table. Alone, the daemon registers them in memory with start-up jitter; as a
/// cluster node it shares Quartz's clustered PostgreSQL store and reconciles them into it (see ScheduleReconciler).
/// </summary>
public static class Schedules
{
    /// <summary>The job group of the tables' jobs and triggers.</summary>
    public const string Group = "tables";

    /// <summary>Every node of a cluster uses this scheduler name: it is the key Quartz's tables share rows under.</summary>
    public const string ClusterSchedulerName = "replicasync";

    public static JobKey JobKey(string table) => new(table, Group);

    public static TriggerKey TriggerKey(string table) => new(table, Group);

    /// <summary>In-memory scheduling: one durable job and one jittered trigger per table, run by this process only.</summary>
    public static void Configure(IQuartzBuilder quartz, DaemonSettings settings, DateTimeOffset now, Random random)
    {
        quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = settings.MaxConcurrentRuns);
        foreach (var table in settings.Tables)
        {
            var job = JobKey(table.Name);
            quartz.AddJob<TableSyncJob>(j => j.WithIdentity(job).StoreDurably().WithDescription(table.Source.QualifiedName));
            var start = now + random.NextDouble() * settings.StartupJitter;
            quartz.AddTrigger(t => t.ForJob(job).WithIdentity(TriggerKey(table.Name)).StartAt(start)
                .WithMisfireThreshold(settings.MisfireThreshold).WithSchedule(ScheduleOf(table)));
        }
    }

    /// <summary>
    /// Clustered scheduling: Quartz's ADO.NET job store on PostgreSQL with clustering on, under this node's id. Jobs and
    /// triggers are not registered here: they live in the shared store, where every node reconciles its configuration.
    /// </summary>
    public static void ConfigureCluster(IQuartzBuilder quartz, DaemonSettings settings, ClusterSettings cluster, string nodeId)
    {
        quartz.ConfigureScheduler(scheduler =>
        {
            scheduler.InstanceName = ClusterSchedulerName;
            scheduler.InstanceId = nodeId;
        });
        quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = settings.MaxConcurrentRuns);
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(Npgsql.NpgsqlFactory.Instance, cluster.Postgres);
            store.ConfigureStore(options => options.MisfireThreshold = settings.MisfireThreshold);
            store.UseClustering(c =>
            {
                c.CheckinInterval = cluster.CheckinInterval;
                c.CheckinMisfireThreshold = cluster.CheckinInterval;
            });
        });
    }

    /// <summary>
    /// The table's job, shared by every node. It asks for recovery: when the node running it dies, the node that finds
    /// it dead fires the job again (the run resumes from the replica's last commit; put-if-absent commits guard the rest).
    /// </summary>
    public static IJobDetail Job(TableSettings table) => JobBuilder.Create<TableSyncJob>()
        .WithIdentity(JobKey(table.Name)).StoreDurably().RequestRecovery().WithDescription(table.Source.QualifiedName).Build();

    /// <summary>The table's trigger, first firing at <paramref name="start"/>.</summary>
    public static ITrigger Trigger(TableSettings table, DaemonSettings settings, DateTimeOffset start) => TriggerBuilder.Create()
        .ForJob(JobKey(table.Name)).WithIdentity(TriggerKey(table.Name)).StartAt(start)
        .WithMisfireThreshold(settings.MisfireThreshold).WithSchedule(ScheduleOf(table)).Build();

    /// <summary>Whether <paramref name="trigger"/> already fires as the table's configuration says (then it is left alone).</summary>
    public static bool Matches(ITrigger trigger, TableSettings table) => trigger switch
    {
        ICronTrigger cron => table.Cron == cron.CronExpressionString && cron.MisfireInstruction == CronMisfire(table),
        ISimpleTrigger simple => table.Interval == simple.RepeatInterval && simple.MisfireInstruction == SimpleMisfire(table),
        _ => false,
    };

    private static IScheduleBuilder ScheduleOf(TableSettings table) => table.Cron is { } cron
        ? CronScheduleBuilder.Create(cron).WithMisfireInstruction(CronMisfire(table))
        : SimpleScheduleBuilder.Create().WithInterval(table.Interval!.Value).RepeatForever().WithMisfireInstruction(SimpleMisfire(table));

    private static CronTriggerMisfireInstruction CronMisfire(TableSettings table) =>
        table.Misfire == MisfirePolicy.RunOnce ? CronTriggerMisfireInstruction.FireAndProceed : CronTriggerMisfireInstruction.DoNothing;

    private static SimpleTriggerMisfireInstruction SimpleMisfire(TableSettings table) => table.Misfire == MisfirePolicy.RunOnce
        ? SimpleTriggerMisfireInstruction.NowWithExistingCount
        : SimpleTriggerMisfireInstruction.NextWithRemainingCount;
}
