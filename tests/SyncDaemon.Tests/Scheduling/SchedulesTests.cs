using Microsoft.Extensions.DependencyInjection;
using Quartz;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Scheduling;
using ReplicaSync.Sharing;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Tests.Scheduling;

/// <summary>The Quartz jobs and triggers the daemon registers: one per table, jittered starts, misfire policies, the global limit.</summary>
public sealed class SchedulesTests
{
    [Fact]
    public async Task Two_hundred_tables_get_one_job_and_one_jittered_trigger_each_with_their_misfire_policy()
    {
        var now = DateTimeOffset.UtcNow.AddDays(1); // in the future, so Quartz keeps the start times as given
        var tables = Enumerable.Range(0, 200).Select(i => new TableSettings
        {
            Name = $"t{i:D3}",
            Source = new TableAddress("p.share", "s", "d", $"t{i}"),
            Target = $"replicas/t{i}",
            Cron = i % 2 == 0 ? "0 */5 * * * ?" : null,
            Interval = i % 2 == 0 ? null : TimeSpan.FromMinutes(10),
            From = StartPoint.Auto,
            Misfire = i % 4 < 2 ? MisfirePolicy.RunOnce : MisfirePolicy.Skip,
        }).ToList();
        var settings = new DaemonSettings
        {
            Listen = "http://127.0.0.1:0", MaxConcurrentRuns = 7, ShutdownGrace = TimeSpan.FromSeconds(30),
            StartupJitter = TimeSpan.FromSeconds(20), MisfireThreshold = TimeSpan.FromSeconds(45), OtlpProtocol = "grpc",
            OtlpExportInterval = TimeSpan.FromMinutes(1), Tables = tables,
        };
        var services = new ServiceCollection().AddLogging();
        services.AddQuartz(q => Schedules.Configure(q, settings, now, new Random(1)));
        await using var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();

        Assert.Equal(7, (await scheduler.GetMetadata(default)).ThreadPoolSize);
        var starts = new List<DateTimeOffset>();
        foreach (var table in tables)
        {
            Assert.NotNull(await scheduler.GetJobDetail(Schedules.JobKey(table.Name)));
            var trigger = await scheduler.GetTrigger(Schedules.TriggerKey(table.Name));
            Assert.NotNull(trigger);
            Assert.Equal(Schedules.JobKey(table.Name), trigger.JobKey);
            Assert.InRange(trigger.StartTimeUtc, now.AddSeconds(-1), now + settings.StartupJitter); // cron start times drop sub-seconds
            Assert.Equal(settings.MisfireThreshold, trigger.MisfireThreshold);
            starts.Add(trigger.StartTimeUtc);
            if (table.Cron is not null)
            {
                var cron = Assert.IsAssignableFrom<ICronTrigger>(trigger);
                Assert.Equal(table.Cron, cron.CronExpressionString);
                Assert.Equal(table.Misfire == MisfirePolicy.RunOnce ? CronTriggerMisfireInstruction.FireAndProceed : CronTriggerMisfireInstruction.DoNothing,
                    cron.MisfireInstruction);
            }
            else
            {
                var simple = Assert.IsAssignableFrom<ISimpleTrigger>(trigger);
                Assert.Equal(table.Interval, simple.RepeatInterval);
                Assert.Equal(table.Misfire == MisfirePolicy.RunOnce ? SimpleTriggerMisfireInstruction.NowWithExistingCount : SimpleTriggerMisfireInstruction.NextWithRemainingCount,
                    simple.MisfireInstruction);
            }
        }
        // Jitter spreads the first fires: 200 tables do not all start in the same second.
        Assert.True(starts.Select(s => s.ToUnixTimeSeconds()).Distinct().Count() > 10);
        Assert.True(typeof(TableSyncJob).IsDefined(typeof(DisallowConcurrentExecutionAttribute), inherit: false));
    }
}
