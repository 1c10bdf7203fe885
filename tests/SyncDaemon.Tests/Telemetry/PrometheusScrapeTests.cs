using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Status;
using ReplicaSync.Daemon.Telemetry;
using ReplicaSync.Sharing;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Daemon.Tests.Telemetry;

/// <summary>
/// The daemon's telemetry as hosted in the daemon, scraped over HTTP from the OpenTelemetry Prometheus exporter:
/// every metric the README lists appears under its documented name, type and labels, and promtool accepts it.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private static readonly DateTimeOffset LastSuccess = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task The_scrape_carries_every_documented_metric_under_its_documented_name_and_labels()
    {
        await using var app = await StartAsync();
        var metrics = app.Services.GetRequiredService<SyncMetrics>();
        var status = app.Services.GetRequiredService<StatusStore>();
        var table = SyncMetrics.Table("orders");
        metrics.BytesCopied.Add(100, table);
        metrics.BytesCopied.Add(23, table);
        metrics.FilesCopied.Add(2, table);
        metrics.FilesReused.Add(1, table);
        metrics.Commits.Add(3, table);
        metrics.Runs.Add(1, table, new("outcome", "succeeded"));
        metrics.Errors.Add(1, table, new("kind", "provider_auth"));
        metrics.UrlRefreshes.Add(4, table);
        metrics.Retries.Add(1, table, new("reason", "throttled"));
        metrics.RunDuration.Record(0.3, table, new("outcome", "succeeded"));
        metrics.RunDuration.Record(7, table, new("outcome", "succeeded"));
        status.Update("orders", s => s with { ProviderVersion = 9, ReplicaVersion = 7, LastSuccess = LastSuccess });
        status.CaughtUp("orders");

        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var response = await http.GetAsync(DaemonTelemetry.ScrapePath);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, text);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var lines = text.Split('\n');
        string[] counters = ["copied_bytes", "copied_files", "reused_files", "commits", "runs", "errors", "url_refreshes", "retries"];
        foreach (var counter in counters)
            Assert.Contains($"# TYPE replicasync_{counter}_total counter", lines);
        string[] gauges = ["versions_behind", "replica_lag_seconds", "last_success_timestamp_seconds", "replica_version", "provider_version"];
        foreach (var gauge in gauges)
            Assert.Contains($"# TYPE replicasync_{gauge} gauge", lines);
        Assert.Contains("# TYPE replicasync_run_duration_seconds histogram", lines);

        Assert.Equal(123, Value(lines, "replicasync_copied_bytes_total{table=\"orders\"}"));
        Assert.Equal(2, Value(lines, "replicasync_copied_files_total{table=\"orders\"}"));
        Assert.Equal(1, Value(lines, "replicasync_reused_files_total{table=\"orders\"}"));
        Assert.Equal(3, Value(lines, "replicasync_commits_total{table=\"orders\"}"));
        Assert.Equal(1, Value(lines, "replicasync_runs_total{outcome=\"succeeded\",table=\"orders\"}"));
        Assert.Equal(1, Value(lines, "replicasync_errors_total{kind=\"provider_auth\",table=\"orders\"}"));
        Assert.Equal(4, Value(lines, "replicasync_url_refreshes_total{table=\"orders\"}"));
        Assert.Equal(1, Value(lines, "replicasync_retries_total{reason=\"throttled\",table=\"orders\"}"));
        Assert.Equal(1, Value(lines, "replicasync_run_duration_seconds_bucket{outcome=\"succeeded\",table=\"orders\",le=\"0.5\"}"));
        Assert.Equal(2, Value(lines, "replicasync_run_duration_seconds_bucket{outcome=\"succeeded\",table=\"orders\",le=\"+Inf\"}"));
        Assert.Equal(7.3, Value(lines, "replicasync_run_duration_seconds_sum{outcome=\"succeeded\",table=\"orders\"}"), 9);
        Assert.Equal(2, Value(lines, "replicasync_run_duration_seconds_count{outcome=\"succeeded\",table=\"orders\"}"));
        Assert.Equal(2, Value(lines, "replicasync_versions_behind{table=\"orders\"}"));
        Assert.Equal(7, Value(lines, "replicasync_replica_version{table=\"orders\"}"));
        Assert.Equal(9, Value(lines, "replicasync_provider_version{table=\"orders\"}"));
        Assert.Equal(LastSuccess.ToUnixTimeSeconds(), Value(lines, "replicasync_last_success_timestamp_seconds{table=\"orders\"}"));
        Assert.InRange(Value(lines, "replicasync_replica_lag_seconds{table=\"orders\"}"), 0, double.MaxValue);

        var (exit, lint) = Executables.Run("promtool", ["check", "metrics"], text);
        Assert.True(exit == 0 && lint.Trim().Length == 0, $"promtool check metrics (exit {exit}):\n{lint}\n--- scrape ---\n{text}");
    }

    [Fact]
    public async Task A_scraper_asking_for_openmetrics_gets_it_with_the_same_series()
    {
        await using var app = await StartAsync();
        app.Services.GetRequiredService<SyncMetrics>().BytesCopied.Add(5, SyncMetrics.Table("orders"));
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, DaemonTelemetry.ScrapePath);
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0");

        var response = await http.SendAsync(request);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');

        Assert.Equal("application/openmetrics-text", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(5, Value(lines, "replicasync_copied_bytes_total{table=\"orders\"}"));
        Assert.Contains("# EOF", lines);
    }

    [Fact]
    public async Task The_node_id_is_the_scrapes_service_instance_id()
    {
        await using var app = await StartAsync(nodeId: "host-4242-c0ffee");
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        var lines = (await http.GetStringAsync(DaemonTelemetry.ScrapePath)).Split('\n');

        Assert.Contains(lines, l => l.StartsWith("target_info{", StringComparison.Ordinal) && l.Contains("service_instance_id=\"host-4242-c0ffee\"", StringComparison.Ordinal));
    }

    /// <summary>The value of the one sample line that starts with <paramref name="series"/> (name and labels; the SDK orders labels by name).</summary>
    private static double Value(string[] lines, string series)
    {
        var line = lines.SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no {series} sample in:\n{string.Join('\n', lines)}");
        return double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>A web host with the daemon's telemetry and scrape endpoint, configured as the daemon configures them, on a free port.</summary>
    private static async Task<WebApplication> StartAsync(string? nodeId = null)
    {
        var settings = new DaemonSettings
        {
            Listen = "http://127.0.0.1:0", MaxConcurrentRuns = 1, ShutdownGrace = TimeSpan.FromSeconds(1),
            StartupJitter = TimeSpan.Zero, MisfireThreshold = TimeSpan.FromSeconds(45), OtlpProtocol = "grpc",
            OtlpExportInterval = TimeSpan.FromMinutes(1),
            Tables = [new TableSettings
            {
                Name = "orders", Source = new TableAddress("p.share", "s", "d", "orders"), Target = "replicas/orders",
                Interval = TimeSpan.FromMinutes(1), From = StartPoint.Auto, Misfire = MisfirePolicy.RunOnce,
            }],
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(settings.Listen);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StatusStore>();
        DaemonTelemetry.Add(builder.Services, settings, nodeId);
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint(DaemonTelemetry.ScrapePath);
        await app.StartAsync();
        return app;
    }
}
