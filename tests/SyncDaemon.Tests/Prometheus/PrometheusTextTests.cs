using ReplicaSync.Daemon.Prometheus;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Daemon.Tests.Prometheus;

/// <summary>The text exposition format's rules: names, label escaping, HELP/TYPE, counter suffix, histogram series, values.</summary>
public sealed class PrometheusTextTests
{
    private static readonly KeyValuePair<string, string>[] NoLabels = [];

    [Theory]
    [InlineData("replicasync.copied.bytes", "replicasync_copied_bytes")]
    [InlineData("http-server/duration", "http_server_duration")]
    [InlineData("a..b", "a_b")]
    [InlineData("9lives", "_9lives")]
    [InlineData("job:rate5m", "job:rate5m")]
    [InlineData("café", "caf_")]
    [InlineData("", "_")]
    public void Metric_names_keep_only_allowed_characters(string name, string expected) =>
        Assert.Equal(expected, PrometheusText.MetricName(name));

    [Theory]
    [InlineData("table", "table")]
    [InlineData("service.name", "service_name")]
    [InlineData("job:x", "job_x")]
    [InlineData("__reserved", "key__reserved")]
    [InlineData("1st", "_1st")]
    public void Label_names_keep_only_allowed_characters_and_avoid_the_reserved_prefix(string name, string expected) =>
        Assert.Equal(expected, PrometheusText.LabelName(name));

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline_and_help_escapes_backslash_and_newline()
    {
        Assert.Equal(@"a\\b\""c\nd", PrometheusText.EscapeLabelValue("a\\b\"c\nd"));
        Assert.Equal(@"say ""hi"" \\ twice\nnow", PrometheusText.EscapeHelp("say \"hi\" \\ twice\nnow"));
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.1, "0.1")]
    [InlineData(123456789012, "123456789012")]
    [InlineData(-2.5, "-2.5")]
    public void Values_use_the_formats_float_syntax(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatValue(value));

    [Fact]
    public void Families_have_help_and_type_once_before_their_samples_and_counters_end_in_total()
    {
        var text = PrometheusText.Write(
        [
            new MetricFamily("copied.bytes", "Bytes copied.", MetricKind.Counter,
                [new Sample("", [new("table", "a")], 10), new Sample("", [new("table", "b")], 20)]),
            new MetricFamily("runs_total", "Runs.", MetricKind.Counter, [new Sample("", NoLabels, 3)]),
            new MetricFamily("behind", "Versions\nbehind.", MetricKind.Gauge, [new Sample("", NoLabels, 0)]),
        ]);

        Assert.Equal(
            "# HELP copied_bytes_total Bytes copied.\n# TYPE copied_bytes_total counter\n" +
            "copied_bytes_total{table=\"a\"} 10\ncopied_bytes_total{table=\"b\"} 20\n" +
            "# HELP runs_total Runs.\n# TYPE runs_total counter\nruns_total 3\n" +
            "# HELP behind Versions\\nbehind.\n# TYPE behind gauge\nbehind 0\n",
            text);
    }

    [Fact]
    public void A_second_family_with_the_same_exposed_name_is_dropped_rather_than_breaking_the_scrape()
    {
        var text = PrometheusText.Write(
        [
            new MetricFamily("a.b", "first", MetricKind.Gauge, [new Sample("", NoLabels, 1)]),
            new MetricFamily("a_b", "second", MetricKind.Gauge, [new Sample("", NoLabels, 2)]),
        ]);

        Assert.Equal("# HELP a_b first\n# TYPE a_b gauge\na_b 1\n", text);
    }

    [Fact]
    public void Promtool_accepts_a_scrape_with_escaped_labels_histograms_and_special_values()
    {
        var text = PrometheusText.Write(
        [
            new MetricFamily("replicasync.copied.bytes", "Bytes \"copied\" \\ into\nthe replica.", MetricKind.Counter,
                [new Sample("", [new("table", "we\"ird\\name\nx")], 1e20)]),
            new MetricFamily("replicasync.lag.seconds", "Lag.", MetricKind.Gauge,
                [new Sample("", [new("table", "a")], double.NaN), new Sample("", [new("table", "b")], double.PositiveInfinity)]),
            new MetricFamily("replicasync.run.duration.seconds", "Run time.", MetricKind.Histogram,
            [
                new Sample("_bucket", [new("table", "a"), new("le", "1")], 1),
                new Sample("_bucket", [new("table", "a"), new("le", "+Inf")], 2),
                new Sample("_sum", [new("table", "a")], 3.5),
                new Sample("_count", [new("table", "a")], 2),
            ]),
        ]);

        var (exit, problems) = Executables.Run("promtool", ["check", "metrics"], text);

        Assert.True(exit == 0 && problems.Trim().Length == 0, $"promtool (exit {exit}): {problems}\n{text}");
    }
}
