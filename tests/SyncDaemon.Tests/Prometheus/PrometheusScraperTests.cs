using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using ReplicaSync.Daemon.Prometheus;

namespace ReplicaSync.Daemon.Tests.Prometheus;

/// <summary>The OpenTelemetry SDK's metrics, collected by our pull reader and rendered as Prometheus text.</summary>
public sealed class PrometheusScraperTests
{
    [Fact]
    public void Counters_gauges_and_histograms_of_a_meter_appear_in_the_scrape()
    {
        var meterName = "scraper-test-" + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        using var scraper = new PrometheusScraper();
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(meterName)
            .AddView("test.duration.seconds", new ExplicitBucketHistogramConfiguration { Boundaries = [1, 5] })
            .AddReader(scraper.Reader)
            .Build();
        var bytes = meter.CreateCounter<long>("test.copied.bytes", "By", "Bytes copied.");
        var duration = meter.CreateHistogram<double>("test.duration.seconds", "s", "Run time.");
        meter.CreateObservableGauge("test.behind", () => new Measurement<double>(3, new KeyValuePair<string, object?>("table", "b")), "{version}", "Behind.");
        bytes.Add(100, new KeyValuePair<string, object?>("table", "a"));
        bytes.Add(23, new KeyValuePair<string, object?>("table", "a"));
        bytes.Add(7, new KeyValuePair<string, object?>("table", "b"));
        duration.Record(0.5, new KeyValuePair<string, object?>("table", "a"));
        duration.Record(2, new KeyValuePair<string, object?>("table", "a"));
        duration.Record(9, new KeyValuePair<string, object?>("table", "a"));

        var lines = scraper.Scrape().Split('\n');

        Assert.Contains("# TYPE test_copied_bytes_total counter", lines);
        Assert.Contains("# HELP test_copied_bytes_total Bytes copied.", lines);
        Assert.Contains("test_copied_bytes_total{table=\"a\"} 123", lines);
        Assert.Contains("test_copied_bytes_total{table=\"b\"} 7", lines);
        Assert.Contains("# TYPE test_behind gauge", lines);
        Assert.Contains("test_behind{table=\"b\"} 3", lines);
        Assert.Contains("# TYPE test_duration_seconds histogram", lines);
        Assert.Contains("test_duration_seconds_bucket{table=\"a\",le=\"1\"} 1", lines);
        Assert.Contains("test_duration_seconds_bucket{table=\"a\",le=\"5\"} 2", lines);
        Assert.Contains("test_duration_seconds_bucket{table=\"a\",le=\"+Inf\"} 3", lines);
        Assert.Contains("test_duration_seconds_sum{table=\"a\"} 11.5", lines);
        Assert.Contains("test_duration_seconds_count{table=\"a\"} 3", lines);

        // Cumulative: a second scrape after more data shows the running totals.
        bytes.Add(1, new KeyValuePair<string, object?>("table", "a"));
        Assert.Contains("test_copied_bytes_total{table=\"a\"} 124", scraper.Scrape().Split('\n'));
    }
}
