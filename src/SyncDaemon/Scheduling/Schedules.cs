using Quartz;
using ReplicaSync.Daemon.Configuration;

namespace ReplicaSync.Daemon.Scheduling;

/// <summary>Registers one durable job and one trigger per table, with start-up jitter and the table's misfire policy.</summary>
public static class Schedules
{
    public static JobKey JobKey(string table) => new(table, "tables");

    public static TriggerKey TriggerKey(string table) => new(table, "tables");

    public static void Configure(IQuartzBuilder quartz, DaemonSettings settings, DateTimeOffset now, Random random)
    {
        quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = settings.MaxConcurrentRuns);
        foreach (var table in settings.Tables)
        {
            var job = JobKey(table.Name);
            quartz.AddJob<TableSyncJob>(j => j.WithIdentity(job).StoreDurably().WithDescription(table.Source.QualifiedName));
            var start = now + random.NextDouble() * settings.StartupJitter;
            quartz.AddTrigger(t =>
            {
                t.ForJob(job).WithIdentity(TriggerKey(table.Name)).StartAt(start).WithMisfireThreshold(settings.MisfireThreshold);
                if (table.Cron is { } cron)
                {
                    t.WithCronSchedule(cron, c => c.WithMisfireInstruction(
                        table.Misfire == MisfirePolicy.RunOnce ? CronTriggerMisfireInstruction.FireAndProceed : CronTriggerMisfireInstruction.DoNothing));
                }
                else
                {
                    t.WithSimpleSchedule(s =>
                    {
                        s.WithInterval(table.Interval!.Value).RepeatForever().WithMisfireInstruction(table.Misfire == MisfirePolicy.RunOnce
                            ? SimpleTriggerMisfireInstruction.NowWithExistingCount
                            : SimpleTriggerMisfireInstruction.NextWithRemainingCount);
                    });
                }
            });
        }
    }
}
