using Quartz;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Http;
using ReplicaSync.Daemon.Scheduling;
using ReplicaSync.Daemon.Status;
using ReplicaSync.Daemon.Telemetry;

namespace ReplicaSync.Daemon.Service;

/// <summary>
/// Builds the daemon: Kestrel with the operator endpoints, Quartz with one schedule per table, the status store,
/// OpenTelemetry metrics (scraped by Prometheus, pushed over OTLP when configured), structured logs, and the
/// re-sharing server when a <c>serve</c> section is configured.
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
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StatusStore>();
        builder.Services.AddSingleton<DrainSignal>();
        builder.Services.AddSingleton<TargetStores>();
        builder.Services.AddSingleton<TableRunner>();
        // Before Quartz: the telemetry host starts first, so the first run's instruments are already listened to.
        DaemonTelemetry.Add(builder.Services, settings);
        if (settings.Serve is { } serve)
            builder.Services.AddHostedService(services => new ReshareService(serve, services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddQuartz(q => Schedules.Configure(q, settings, DateTimeOffset.UtcNow, Random.Shared));
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
