using System.Globalization;
using OpenTelemetry.Metrics;

namespace ReplicaSync.Daemon.Prometheus;

/// <summary>Turns the OpenTelemetry SDK's cumulative metric points into Prometheus metric families.</summary>
public static class OtelConverter
{
    public static MetricFamily Convert(Metric metric)
    {
        var kind = metric.MetricType switch
        {
            MetricType.LongSum or MetricType.DoubleSum => MetricKind.Counter,
            MetricType.LongGauge or MetricType.DoubleGauge or MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic => MetricKind.Gauge,
            MetricType.Histogram => MetricKind.Histogram,
            _ => MetricKind.Untyped,
        };
        var samples = new List<Sample>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var labels = new List<KeyValuePair<string, string>>();
            foreach (var tag in point.Tags)
                labels.Add(new(tag.Key, System.Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
            switch (metric.MetricType)
            {
                case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                    samples.Add(new Sample("", labels, point.GetSumLong()));
                    break;
                case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                    samples.Add(new Sample("", labels, point.GetSumDouble()));
                    break;
                case MetricType.LongGauge:
                    samples.Add(new Sample("", labels, point.GetGaugeLastValueLong()));
                    break;
                case MetricType.DoubleGauge:
                    samples.Add(new Sample("", labels, point.GetGaugeLastValueDouble()));
                    break;
                case MetricType.Histogram:
                    AddHistogram(samples, labels, point);
                    break;
            }
        }
        var help = string.IsNullOrEmpty(metric.Description) ? metric.Name : metric.Description;
        return new MetricFamily(metric.Name, help, kind, samples);
    }

    /// <summary>OpenTelemetry counts per bucket; Prometheus buckets are cumulative and end with <c>le="+Inf"</c>.</summary>
    private static void AddHistogram(List<Sample> samples, List<KeyValuePair<string, string>> labels, in MetricPoint point)
    {
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            samples.Add(new Sample("_bucket", [.. labels, new("le", PrometheusText.FormatValue(bucket.ExplicitBound))], cumulative));
        }
        samples.Add(new Sample("_sum", labels, point.GetHistogramSum()));
        samples.Add(new Sample("_count", labels, point.GetHistogramCount()));
    }
}
