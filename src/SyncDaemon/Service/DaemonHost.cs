using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Quartz;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Http;
using ReplicaSync.Daemon.Prometheus;
using ReplicaSync.Daemon.Scheduling;
using ReplicaSync.Daemon.Status;
using ReplicaSync.Daemon.Telemetry;

namespace ReplicaSync.Daemon.Service;

/// <summary>
/// Builds the daemon: Kestrel with the operator endpoints, Quartz with one schedule per table, the status store,
/// OpenTelemetry metrics (scraped as Prometheus text, pushed over OTLP when configured) and structured logs.
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
        builder.Services.AddSingleton<SyncMetrics>();
        builder.Services.AddSingleton<DrainSignal>();
        builder.Services.AddSingleton<TargetStores>();
        builder.Services.AddSingleton<TableRunner>();
        builder.Services.AddSingleton<PrometheusScraper>();
        builder.Services.AddSingleton(sp => BuildMeterProvider(settings, sp.GetRequiredService<PrometheusScraper>()));
        builder.Services.AddSingleton(_ => BuildTracerProvider(settings));
        builder.Services.AddQuartz(q => Schedules.Configure(q, settings, DateTimeOffset.UtcNow, Random.Shared));
        builder.Services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
        });

        var app = builder.Build();
        // Resolve the providers now so instruments are listened to from the first run on.
        app.Services.GetRequiredService<MeterProvider>();
        app.Services.GetRequiredService<TracerProvider>();
        var drain = app.Services.GetRequiredService<DrainSignal>();
        app.Lifetime.ApplicationStopping.Register(() => drain.Begin(settings.ShutdownGrace));
        DaemonEndpoints.Map(app);
        return app;
    }

    private static MeterProvider BuildMeterProvider(DaemonSettings settings, PrometheusScraper scraper)
    {
        var builder = Sdk.CreateMeterProviderBuilder()
            .AddMeter(SyncMetrics.MeterName)
            .AddView("replicasync.run.duration.seconds", new ExplicitBucketHistogramConfiguration { Boundaries = SyncMetrics.RunDurationBuckets })
            .AddReader(scraper.Reader);
        if (settings.OtlpEndpoint is { } endpoint)
        {
            builder.AddOtlpExporter((exporter, reader) =>
            {
                Otlp(exporter, settings, endpoint, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.OtlpExportInterval.TotalMilliseconds;
            });
        }
        return builder.Build();
    }

    private static TracerProvider BuildTracerProvider(DaemonSettings settings)
    {
        var builder = Sdk.CreateTracerProviderBuilder().AddSource(SyncMetrics.SourceName);
        if (settings.OtlpEndpoint is { } endpoint)
            builder.AddOtlpExporter(o => Otlp(o, settings, endpoint, "v1/traces"));
        return builder.Build();
    }

    /// <summary>gRPC takes the collector's address as is; over HTTP an endpoint set in code is the full URL, so the signal's path is added.</summary>
    private static void Otlp(OtlpExporterOptions options, DaemonSettings settings, Uri endpoint, string signalPath)
    {
        var grpc = settings.OtlpProtocol == "grpc";
        options.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = grpc ? endpoint : new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
    }
}
