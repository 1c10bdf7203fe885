using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Status;

namespace ReplicaSync.Daemon.Telemetry;

/// <summary>
/// Hosts the OpenTelemetry SDK for the daemon: the metrics are scraped by Prometheus through the exporter's
/// endpoint, and with <c>otlp.endpoint</c> set, metrics and run spans are also pushed over OTLP.
/// </summary>
public static class DaemonTelemetry
{
    /// <summary>The path Prometheus scrapes.</summary>
    public const string ScrapePath = "/metrics";

    /// <summary>Reported as <c>service.name</c>: on OTLP data and in the scrape's <c>target_info</c>.</summary>
    public const string ServiceName = "replicasync";

    /// <summary>Adds the SDK; <paramref name="nodeId"/> becomes <c>service.instance.id</c>, so every series can be told apart by node.</summary>
    public static void Add(IServiceCollection services, DaemonSettings settings, string? nodeId = null)
    {
        services.AddSingleton<SyncMetrics>();
        services.TryAddSingleton<TableOwnership>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceInstanceId: nodeId, autoGenerateServiceInstanceId: nodeId is null))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SyncMetrics.MeterName)
                    .AddView(SyncMetrics.RunDurationName, new ExplicitBucketHistogramConfiguration { Boundaries = SyncMetrics.RunDurationBuckets })
                    .AddPrometheusExporter(ConfigureScrape);
                if (settings.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Otlp(exporter, settings, endpoint, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.OtlpExportInterval.TotalMilliseconds;
                    });
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(SyncMetrics.SourceName);
                if (settings.OtlpEndpoint is { } endpoint)
                    tracing.AddOtlpExporter(o => Otlp(o, settings, endpoint, "v1/traces"));
            });
    }

    /// <summary>
    /// Every scrape collects afresh (the exporter caches for 300 ms by default), so a scrape right after a commit
    /// shows it. Every series comes from the one ReplicaSync meter, so the per-series scope labels are left out
    /// and the series carry exactly the labels the README documents.
    /// </summary>
    private static void ConfigureScrape(PrometheusAspNetCoreOptions options)
    {
        options.ScrapeEndpointPath = ScrapePath;
        options.ScrapeResponseCacheDurationMilliseconds = 0;
        options.ScopeInfoEnabled = false;
    }

    /// <summary>gRPC takes the collector's address as is; over HTTP an endpoint set in code is the full URL, so the signal's path is added.</summary>
    private static void Otlp(OtlpExporterOptions options, DaemonSettings settings, Uri endpoint, string signalPath)
    {
        var grpc = settings.OtlpProtocol == "grpc";
        options.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = grpc ? endpoint : new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
    }
}
