using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Quartz;
using ReplicaSync.Daemon.Cluster;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Scheduling;
using ReplicaSync.Sharing;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Cluster;

/// <summary>
/// The cluster's shared store on a real PostgreSQL: the checked-in schema is created by nodes starting together and
/// passes Quartz's own validation, and each node's configuration is reconciled into the store without clobbering.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterStoreTests(PostgresServer postgres)
{
    [Fact]
    public async Task Nodes_starting_together_create_the_schema_once_and_quartz_accepts_it()
    {
        var db = await postgres.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ClusterSchema.ApplyAsync(db, CancellationToken.None))));
        await ClusterSchema.ApplyAsync(db, CancellationToken.None); // and again: idempotent

        Assert.Equal(15, await ScalarAsync<long>(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'qrtz\\_%'"));
        Assert.Equal(1, await ScalarAsync<long>(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'replicasync_table_status'"));
        // Quartz validates every table and column it uses when its clustered store starts; a missing one fails here.
        await using var node = await NodeAsync(db, Settings(("a", 60)), "node-a");
        await node.Scheduler.Start();
        Assert.Equal(SchedulerStatus.Running, node.Scheduler.Status);
        var self = Assert.Single(await node.Scheduler.QueryClusterNodes());
        Assert.Equal("node-a", self.InstanceId);
    }

    [Fact]
    public async Task Reconciling_adds_reschedules_and_removes_tables_and_leaves_matching_triggers_alone()
    {
        var db = await postgres.CreateDatabaseAsync();
        await ClusterSchema.ApplyAsync(db, CancellationToken.None);
        var first = Settings(("keep", 60), ("change", 60), ("drop", 60));
        await using (var node = await NodeAsync(db, first, "node-1"))
        {
            var added = await node.ReconcileAsync(first);
            Assert.Equal(["change", "drop", "keep"], added.Added.Order(StringComparer.Ordinal));
        }
        var keepStart = await StartTimeAsync(db, "keep");

        // A second node with the same configuration changes nothing: fire times stay as the first node set them.
        await using (var node = await NodeAsync(db, first, "node-2"))
        {
            var same = await node.ReconcileAsync(first);
            Assert.Equal((0, 0, 0, 3), (same.Added.Count, same.Rescheduled.Count, same.Removed.Count, same.Unchanged));
        }
        Assert.Equal(keepStart, await StartTimeAsync(db, "keep"));

        // A node with a new configuration brings the store to it.
        var second = Settings(("keep", 60), ("change", 30), ("new", 60));
        await using (var node = await NodeAsync(db, second, "node-3"))
        {
            var changed = await node.ReconcileAsync(second);
            Assert.Equal(["new"], changed.Added);
            Assert.Equal(["change"], changed.Rescheduled);
            Assert.Equal(["drop"], changed.Removed);
            Assert.Equal(1, changed.Unchanged);
            var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(await node.Scheduler.GetTrigger(Schedules.TriggerKey("change")));
            Assert.Equal(TimeSpan.FromSeconds(30), trigger.RepeatInterval);
            Assert.Null(await node.Scheduler.GetJobDetail(Schedules.JobKey("drop")));
            var job = await node.Scheduler.GetJobDetail(Schedules.JobKey("new"));
            Assert.NotNull(job);
            Assert.True(job.RequestsRecovery);
            Assert.True(job.ConcurrentExecutionDisallowed);
        }
        Assert.Equal(keepStart, await StartTimeAsync(db, "keep"));
    }

    private static DaemonSettings Settings(params (string Name, int Seconds)[] tables) => new()
    {
        Listen = "http://127.0.0.1:0", MaxConcurrentRuns = 2, ShutdownGrace = TimeSpan.FromSeconds(5),
        StartupJitter = TimeSpan.FromSeconds(5), MisfireThreshold = TimeSpan.FromSeconds(60), OtlpProtocol = "grpc",
        OtlpExportInterval = TimeSpan.FromMinutes(1),
        Tables = [.. tables.Select(t => new TableSettings
        {
            Name = t.Name, Source = new TableAddress("p.share", "s", "d", t.Name), Target = $"replicas/{t.Name}",
            Interval = TimeSpan.FromSeconds(t.Seconds), From = StartPoint.Latest, Misfire = MisfirePolicy.RunOnce,
        })],
    };

    private static async Task<Node> NodeAsync(string db, DaemonSettings settings, string id)
    {
        var cluster = new ClusterSettings { Postgres = db, CheckinInterval = TimeSpan.FromSeconds(2) };
        var services = new ServiceCollection().AddLogging();
        services.AddQuartz(q => Schedules.ConfigureCluster(q, settings, cluster, id));
        var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return new Node(provider, scheduler, cluster);
    }

    private static async Task<long> StartTimeAsync(string db, string table) =>
        await ScalarAsync<long>(db, $"SELECT start_time FROM qrtz_triggers WHERE trigger_name = '{table}'");

    private static async Task<T> ScalarAsync<T>(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>One node's scheduler over the shared store, not started unless a test starts it.</summary>
    private sealed record Node(ServiceProvider Provider, IScheduler Scheduler, ClusterSettings Cluster) : IAsyncDisposable
    {
        public Task<Reconciliation> ReconcileAsync(DaemonSettings settings) =>
            new ScheduleReconciler(settings, Cluster, TimeProvider.System, NullLogger<ScheduleReconciler>.Instance)
                .ReconcileAsync(Scheduler, new Random(7), CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await Scheduler.Shutdown(waitForJobsToComplete: false);
            await Provider.DisposeAsync();
        }
    }
}
