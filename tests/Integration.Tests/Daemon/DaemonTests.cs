using System.Globalization;
using System.Net;
using Xunit.Abstractions;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>
/// <c>replicasync run</c> as a real process: two tables on schedules (an interval and a cron expression) replicate
/// from a SharingServer; /status and /metrics report the versions and counts the replicas really have; the scrape
/// passes promtool and a real Prometheus server stores every documented series, with the copied bytes the replica
/// holds; an on-demand run picks up new provider versions; SIGTERM ends the process cleanly; the logs are JSON
/// lines without the bearer token.
/// </summary>
public sealed class DaemonTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_scheduled_tables_replicate_and_status_metrics_and_prometheus_report_them()
    {
        using var providers = new TempDirectory("daemon-providers");
        using var replicas = new TempDirectory("daemon-replicas");
        var orders = new ProviderTableBuilder(providers.Combine("orders"), seed: 1);
        await orders.CreateAsync("a", "b", null);
        await orders.AppendAsync("a", "c");
        await orders.DeleteAsync(2);
        await orders.ChangeSchemaAsync();
        await orders.AppendAsync("b");
        var events = new ProviderTableBuilder(providers.Combine("events"), seed: 2);
        await events.CreateAsync("x");
        await events.AppendAsync("y", "z");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string>
        {
            ["orders"] = orders.Root,
            ["events"] = events.Root,
        });
        var config = DaemonConfig.For(sharing, replicas.Path, ("orders", "1"), ("events", "*/2 * * * * ?"));

        using var daemon = await DaemonProcess.StartAsync(sharing.Dir.Combine("daemon.json"), config);
        await daemon.WaitForReplicaVersionAsync("orders", orders.Version);
        await daemon.WaitForReplicaVersionAsync("events", events.Version);
        foreach (var name in new[] { "orders", "events" })
            await daemon.WaitUntilAsync(async () => (string?)(await daemon.TableAsync(name))["versionsHeld"] == "full history from 0", $"{name}'s versions held");

        foreach (var (name, table) in new[] { ("orders", orders), ("events", events) })
        {
            var replica = Path.Combine(replicas.Path, name);
            await ReplicaComparer.AssertAlignedAsync(table.Root, replica, sharing.Address(name).QualifiedName);
            var (files, bytes) = DaemonConfig.DataFiles(replica);
            var status = await daemon.TableAsync(name);
            Assert.Equal(table.Version, (long?)status["providerVersion"]);
            Assert.Equal(table.Version, (long?)status["replicaVersion"]);
            Assert.Equal(0, (long?)status["versionsBehind"]);
            Assert.Equal(files, (long?)status["filesCopied"]);
            Assert.Equal(bytes, (long?)status["bytesCopied"]);
            Assert.Equal(table.Version + 1, (long?)status["commitsWritten"]);
            Assert.NotNull(status["nextFireTime"]);
            Assert.NotNull(status["lastSuccess"]);
            Assert.Contains((string?)status["lastRun"]!["outcome"], new[] { "succeeded", "running" });

            var metrics = await daemon.Http.GetStringAsync("/metrics");
            Assert.Equal(bytes, Sample(metrics, "replicasync_copied_bytes_total", name));
            Assert.Equal(files, Sample(metrics, "replicasync_copied_files_total", name));
            Assert.Equal(table.Version + 1, Sample(metrics, "replicasync_commits_total", name));
            Assert.Equal(table.Version, Sample(metrics, "replicasync_replica_version", name));
            Assert.Equal(0, Sample(metrics, "replicasync_versions_behind", name));
            output.WriteLine($"{name}: version {table.Version}, {files} files, {bytes} bytes");
        }

        var scrape = await daemon.Http.GetAsync("/metrics");
        var contentType = scrape.Content.Headers.ContentType;
        Assert.Equal("text/plain", contentType?.MediaType);
        Assert.Contains(contentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE replicasync_run_duration_seconds histogram", text);
        Assert.Contains("replicasync_run_duration_seconds_bucket{outcome=\"succeeded\",table=\"orders\",le=\"+Inf\"}", text);
        var (promtool, lint) = Executables.Run("promtool", ["check", "metrics"], text);
        Assert.True(promtool == 0 && lint.Trim().Length == 0, $"promtool check metrics (exit {promtool}):\n{lint}\n--- scrape ---\n{text}");

        // A real Prometheus server scrapes the daemon; its query API answers with the bytes the replica holds.
        var (_, ordersBytes) = DaemonConfig.DataFiles(Path.Combine(replicas.Path, "orders"));
        using (var prometheus = await PrometheusServer.StartAsync(daemon.Address[7..]))
        {
            double? seen = null;
            await daemon.WaitUntilAsync(async () =>
            {
                var result = await prometheus.QueryAsync("replicasync_copied_bytes_total{table=\"orders\"}");
                seen = result.Count == 1 ? double.Parse((string)result[0]!["value"]![1]!, CultureInfo.InvariantCulture) : null;
                return seen is not null;
            }, "the copied-bytes series in Prometheus");
            Assert.Equal(ordersBytes, seen);

            // Prometheus negotiates its own exposition format; it still stores every documented name, with exactly
            // the documented labels (plus the job and instance it adds itself).
            var series = await prometheus.QueryAsync("{__name__=~\"replicasync_.+\",table=\"orders\"}");
            var names = series.Select(s => (string)s!["metric"]!["__name__"]!).ToHashSet(StringComparer.Ordinal);
            string[] documented =
            [
                "replicasync_copied_bytes_total", "replicasync_copied_files_total", "replicasync_commits_total", "replicasync_runs_total",
                "replicasync_run_duration_seconds_bucket", "replicasync_run_duration_seconds_sum", "replicasync_run_duration_seconds_count",
                "replicasync_versions_behind", "replicasync_replica_lag_seconds", "replicasync_last_success_timestamp_seconds",
                "replicasync_replica_version", "replicasync_provider_version",
            ];
            Assert.All(documented, name => Assert.Contains(name, names));
            string[] known = ["__name__", "job", "instance", "table", "outcome", "le"];
            Assert.All(series, s => Assert.All(s!["metric"]!.AsObject(), label => Assert.Contains(label.Key, known)));
            Assert.Contains(series, s => (string?)s!["metric"]!["__name__"] == "replicasync_runs_total" && (string?)s["metric"]!["outcome"] == "succeeded");
        }

        // New provider versions arrive; an on-demand run copies them without waiting for the schedule.
        await events.AppendAsync("x", "y");
        await events.DeleteAsync(1);
        var trigger = await daemon.Http.PostAsync("/tables/events/sync", null);
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await daemon.Http.PostAsync("/tables/nope/sync", null)).StatusCode);
        await daemon.WaitForReplicaVersionAsync("events", events.Version);
        await ReplicaComparer.AssertAlignedAsync(events.Root, Path.Combine(replicas.Path, "events"), sharing.Address("events").QualifiedName);

        Assert.Equal(HttpStatusCode.OK, (await daemon.Http.GetAsync("/readyz")).StatusCode);
        var stopped = await daemon.TerminateAsync();

        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.DoesNotContain(SharingFixture.Token, stopped.Stdout + stopped.Stderr, StringComparison.Ordinal);
        Assert.All(stopped.StdoutLines.Where(l => l.Length > 0), line => System.Text.Json.Nodes.JsonNode.Parse(line));
        Assert.Contains(stopped.StdoutLines, l => l.Contains("\"Table\":\"orders\"", StringComparison.Ordinal) && l.Contains("run succeeded", StringComparison.Ordinal));
    }

    /// <summary>The value of <paramref name="name"/>{table="…"} in a scrape (the only sample with that label set).</summary>
    private static double Sample(string scrape, string name, string table)
    {
        var prefix = $"{name}{{table=\"{table}\"}} ";
        var line = scrape.Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no {prefix.Trim()} sample in:\n{scrape}");
        return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
