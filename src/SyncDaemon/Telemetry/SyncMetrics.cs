using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReplicaSync.Daemon.Status;

namespace ReplicaSync.Daemon.Telemetry;

/// <summary>
/// The daemon's instruments, all labelled by table. Counters are fed by each run's observer; the gauges read the
/// status store when a reader collects, so they are always current. Names already end in their unit, which the
/// Prometheus exporter then does not add again: the scraped names are these with '.' turned into '_' (and
/// '_total' on counters), as the README lists them.
/// </summary>
public sealed class SyncMetrics : IDisposable
{
    public const string MeterName = "ReplicaSync";
    public const string SourceName = "ReplicaSync";
    public const string RunDurationName = "replicasync.run.duration.seconds";

    /// <summary>Run durations range from a no-op check (well under a second) to long catch-ups.</summary>
    public static readonly double[] RunDurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Meter _meter = new(MeterName);

    public SyncMetrics(StatusStore status, TableOwnership ownership)
    {
        BytesCopied = _meter.CreateCounter<long>("replicasync.copied.bytes", "By", "Bytes copied from the provider into the replica.");
        FilesCopied = _meter.CreateCounter<long>("replicasync.copied.files", "{file}", "Files (and deletion vectors) copied into the replica.");
        FilesReused = _meter.CreateCounter<long>("replicasync.reused.files", "{file}", "Files an interrupted run had already copied, reused without download.");
        Commits = _meter.CreateCounter<long>("replicasync.commits", "{commit}", "Replica commits written (one per provider version, or a bootstrap snapshot).");
        Runs = _meter.CreateCounter<long>("replicasync.runs", "{run}", "Finished table runs by outcome.");
        Errors = _meter.CreateCounter<long>("replicasync.errors", "{error}", "Failed table runs by kind of error.");
        UrlRefreshes = _meter.CreateCounter<long>("replicasync.url.refreshes", "{file}", "Pre-signed file URLs the provider re-issued because they expired.");
        Retries = _meter.CreateCounter<long>("replicasync.retries", "{retry}", "Failed requests that were retried, by reason.");
        RunDuration = _meter.CreateHistogram<double>(RunDurationName, "s", "How long table runs took.");
        _meter.CreateObservableGauge("replicasync.versions.behind", () => Gauge(status, ownership, s => s.VersionsBehind),
            "{version}", "Provider versions the replica does not have yet (as of the last check).");
        _meter.CreateObservableGauge("replicasync.replica.lag.seconds", () => Gauge(status, ownership, s => s.SecondsBehind),
            "s", "Seconds since the replica was last confirmed at the provider's latest version.");
        _meter.CreateObservableGauge("replicasync.last.success.timestamp.seconds", () => Gauge(status, ownership, s => s.LastSuccess?.ToUnixTimeMilliseconds() / 1000.0),
            "s", "Unix time of the last successful run.");
        _meter.CreateObservableGauge("replicasync.replica.version", () => Gauge(status, ownership, s => s.ReplicaVersion),
            "{version}", "The replica's Delta table version.");
        _meter.CreateObservableGauge("replicasync.provider.version", () => Gauge(status, ownership, s => s.ProviderVersion),
            "{version}", "The provider table's latest version, as of the last check.");
    }

    public Counter<long> BytesCopied { get; }
    public Counter<long> FilesCopied { get; }
    public Counter<long> FilesReused { get; }
    public Counter<long> Commits { get; }
    public Counter<long> Runs { get; }
    public Counter<long> Errors { get; }
    public Counter<long> UrlRefreshes { get; }
    public Counter<long> Retries { get; }
    public Histogram<double> RunDuration { get; }

    /// <summary>Spans of table runs (exported when OTLP is configured).</summary>
    public ActivitySource Source { get; } = new(SourceName);

    public static KeyValuePair<string, object?> Table(string table) => new("table", table);

    public void Dispose()
    {
        _meter.Dispose();
        Source.Dispose();
    }

    private static IEnumerable<Measurement<double>> Gauge(StatusStore status, TableOwnership ownership, Func<TableStatus, double?> value) =>
        status.Snapshot().Where(s => ownership.Reports(s.Name) && value(s) is not null).Select(s => new Measurement<double>(value(s)!.Value, Table(s.Name)));
}
