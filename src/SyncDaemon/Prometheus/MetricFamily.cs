namespace ReplicaSync.Daemon.Prometheus;

/// <summary>One metric family of the Prometheus text format: a name, its help and type, and its samples.</summary>
public sealed record MetricFamily(string Name, string Help, MetricKind Kind, IReadOnlyList<Sample> Samples);

/// <summary>
/// One sample line: the family name plus <paramref name="Suffix"/> (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>
/// or empty), its labels in order, and the value.
/// </summary>
public sealed record Sample(string Suffix, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);

/// <summary>The metric types of the text format this exporter writes.</summary>
public enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
    Untyped,
}
