using System.Globalization;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>Sums of the daemon's counters in a Prometheus text scrape, over every label set.</summary>
internal static class MetricSums
{
    /// <summary>The sum of every sample of <paramref name="metric"/> whose labels contain <paramref name="label"/> (e.g. <c>outcome="failed"</c>), or of all.</summary>
    public static double Sum(string scrape, string metric, string? label = null) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>Each label value of <paramref name="label"/> on <paramref name="metric"/> with its summed count, e.g. retries by reason.</summary>
    public static SortedDictionary<string, double> ByLabel(string scrape, string metric, string label)
    {
        var sums = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in scrape.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal)))
        {
            var start = line.IndexOf(label + "=\"", StringComparison.Ordinal);
            if (start < 0)
                continue;
            start += label.Length + 2;
            var value = line[start..line.IndexOf('"', start)];
            sums[value] = sums.GetValueOrDefault(value) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return sums;
    }
}
