using System.Globalization;
using System.Text;

namespace ReplicaSync.Daemon.Prometheus;

/// <summary>
/// Writes metric families in the Prometheus text exposition format 0.0.4: <c># HELP</c> and <c># TYPE</c> once
/// per family, names and label names reduced to the allowed characters, label values and help escaped, counters
/// ending in <c>_total</c>, and values in Go's float syntax (<c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>).
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in families)
        {
            var name = FamilyName(family);
            // A name may appear once per scrape; a second family that sanitizes to the same name would be rejected whole.
            if (!seen.Add(name))
                continue;
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(TypeName(family.Kind)).Append('\n');
            foreach (var sample in family.Samples)
            {
                text.Append(name).Append(sample.Suffix);
                if (sample.Labels.Count > 0)
                {
                    text.Append('{');
                    for (var i = 0; i < sample.Labels.Count; i++)
                    {
                        if (i > 0)
                            text.Append(',');
                        text.Append(LabelName(sample.Labels[i].Key)).Append("=\"").Append(EscapeLabelValue(sample.Labels[i].Value)).Append('"');
                    }
                    text.Append('}');
                }
                text.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The family's exposed name: sanitized, and for counters ending in <c>_total</c>.</summary>
    public static string FamilyName(MetricFamily family)
    {
        var name = MetricName(family.Name);
        return family.Kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>Metric names match <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; anything else becomes '_' (runs of it collapse).</summary>
    public static string MetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>Label names match <c>[a-zA-Z_][a-zA-Z0-9_]*</c> and must not start with <c>__</c> (reserved).</summary>
    public static string LabelName(string name)
    {
        var clean = Sanitize(name, allowColon: false);
        return clean.StartsWith("__", StringComparison.Ordinal) ? "key" + clean : clean;
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>Help text escapes backslash and line feed (quotes stay as they are).</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string TypeName(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Gauge => "gauge",
        MetricKind.Histogram => "histogram",
        _ => "untyped",
    };

    private static string Sanitize(string name, bool allowColon)
    {
        var clean = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var ok = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (char.IsAsciiDigit(c) && clean.Length > 0);
            if (ok)
                clean.Append(c);
            else if (char.IsAsciiDigit(c))
                clean.Append('_').Append(c);
            else if (clean.Length == 0 || clean[^1] != '_')
                clean.Append('_');
        }
        return clean.Length == 0 ? "_" : clean.ToString();
    }
}
