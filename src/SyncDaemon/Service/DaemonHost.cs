using Quartz;
using ReplicaSync.Daemon.Cluster;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Http;
using ReplicaSync.Daemon.Scheduling;
using ReplicaSync.Daemon.Status;
using ReplicaSync.Daemon.Telemetry;

namespace ReplicaSync.Daemon.Service;

/// <summary>
/// Builds the daemon: Kestrel with the operator endpoints, Quartz with one schedule per table, the status store,
/// OpenTelemetry metrics (scraped by Prometheus, pushed over OTLP when configured), structured logs, and the
/// re-sharing server when a <c>serve</c> section is configured. With a <c>cluster</c> section, Quartz is the clustered
/// PostgreSQL store shared by every node (the schema must exist: <see cref="ClusterSchema"/>), and table states are
/// shared through it.
/// </summary>
public static class DaemonHost
{
    // Beyond the grace period, cancelled runs need a moment to unwind before the host gives up on them.
    private static readonly TimeSpan UnwindAllowance = TimeSpan.FromSeconds(15);

    public static WebApplication Build(DaemonSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(settings.Listen);
        DaemonLogging.Configure(builder.Logging, Console.IsOutputRedirected);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownGrace + UnwindAllowance);
        var node = NodeIdentity.Create();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(node);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StatusStore>();
        builder.Services.AddSingleton<DrainSignal>();
        builder.Services.AddSingleton<TargetStores>();
        builder.Services.AddSingleton<TableRunner>();
        builder.Services.AddSingleton<StatusReporter>();
        // Before Quartz: the telemetry host starts first, so the first run's instruments are already listened to.
        DaemonTelemetry.Add(builder.Services, settings, node.Id);
        if (settings.Serve is { } serve)
            builder.Services.AddHostedService(services => new ReshareService(serve, services.GetRequiredService<ILoggerFactory>()));
        if (settings.Cluster is { } cluster)
        {
            builder.Services.AddSingleton(cluster);
            builder.Services.AddSingleton<SharedStatus>();
            builder.Services.AddSingleton<ScheduleReconciler>();
            builder.Services.AddQuartz(q => Schedules.ConfigureCluster(q, settings, cluster, node.Id));
            // Hosted services start in this order and stop in reverse: reconcile before the scheduler starts, and
            // publish the last states after it has stopped.
            builder.Services.AddHostedService<ClusterStartup>();
            builder.Services.AddHostedService<StatusPublisher>();
        }
        else
        {
            builder.Services.AddQuartz(q => Schedules.Configure(q, settings, DateTimeOffset.UtcNow, Random.Shared));
        }
        builder.Services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
        });

        var app = builder.Build();
        var drain = app.Services.GetRequiredService<DrainSignal>();
        app.Lifetime.ApplicationStopping.Register(() => drain.Begin(settings.ShutdownGrace));
        DaemonEndpoints.Map(app);
        return app;
    }
}
