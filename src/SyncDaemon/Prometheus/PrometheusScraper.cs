using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ReplicaSync.Daemon.Prometheus;

/// <summary>
/// A pull reader for the OpenTelemetry SDK: each scrape collects the current cumulative metrics and renders them
/// in the Prometheus text format. Add <see cref="Reader"/> to a MeterProvider.
/// </summary>
public sealed class PrometheusScraper : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Collector _collector = new();

    public PrometheusScraper()
    {
        Reader = new BaseExportingMetricReader(_collector) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
    }

    public MetricReader Reader { get; }

    /// <summary>The current metrics as exposition text; scrapes are serialized because a collect fills one buffer.</summary>
    public string Scrape()
    {
        lock (_gate)
        {
            _collector.Families.Clear();
            Reader.Collect();
            return PrometheusText.Write(_collector.Families.OrderBy(f => f.Name, StringComparer.Ordinal));
        }
    }

    public void Dispose() => Reader.Dispose();

    // Not marked pull-only: the SDK lets a pull-only exporter collect only inside its internal scrape scope.
    // A plain (non-periodic) reader never pushes by itself, so collecting stays on demand.
    private sealed class Collector : BaseExporter<Metric>
    {
        public List<MetricFamily> Families { get; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
                Families.Add(OtelConverter.Convert(metric));
            return ExportResult.Success;
        }
    }
}
