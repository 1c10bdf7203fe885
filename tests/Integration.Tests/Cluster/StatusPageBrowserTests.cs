using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReplicaSync.Integration.Tests.Daemon;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Cluster;

/// <summary>
/// The status page as a person sees it: rendered by headless Chromium (Debian package <c>chromium</c>) from a node of
/// a two-node cluster, it shows what <c>/status</c> says for every table, failing tables first, and both nodes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class StatusPageBrowserTests(PostgresServer postgres)
{
    [Fact]
    public async Task Chromium_shows_every_table_as_status_reports_it_failing_first_and_the_cluster_nodes()
    {
        using var provider = new TempDirectory("page-provider");
        using var replicas = new TempDirectory("page-replicas");
        var table = new ProviderTableBuilder(provider.Path, seed: 3);
        await table.CreateAsync("a");
        await table.AppendAsync("a", "b");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["orders"] = provider.Path, ["events"] = provider.Path });
        var config = ClusterConfig.For(sharing, replicas.Path, await postgres.CreateDatabaseAsync(), ["orders", "events", "missing"], intervalSeconds: 3600);
        var nodes = new List<DaemonProcess>();
        try
        {
            for (var i = 0; i < 2; i++)
                nodes.Add((await ClusterConfig.StartNodeAsync(sharing, config, i)).Daemon);
            var daemon = nodes[1];
            await daemon.WaitUntilAsync(async () => (await daemon.StatusAsync())["tables"]!.AsArray()
                .All(t => t!["lastRun"]?["end"] is not null && !(bool)t["running"]!), "a finished run of every table");

            var (status, page) = await StableAsync(daemon);

            var tables = status["tables"]!.AsArray().Select(t => t!).ToList();
            var rows = Rows(page);
            Assert.Equal(["missing", "events", "orders"], rows.Select(r => r.Name)); // the failing table first, then by name
            foreach (var row in rows)
            {
                var expected = tables.Single(t => (string)t["name"]! == row.Name);
                Assert.Equal(Text(expected["replicaVersion"]), row.Fields["replicaVersion"]);
                Assert.Equal(Text(expected["providerVersion"]), row.Fields["providerVersion"]);
                Assert.Equal((string)expected["lastRun"]!["outcome"]!, row.Fields["outcome"].Split(' ')[0]);
                Assert.Equal((string)expected["node"]!, row.Fields["node"]);
                Assert.Equal(((long)expected["lastRun"]!["bytesCopied"]!).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), row.Fields["bytes"]);
            }
            Assert.Equal(table.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), rows.Single(r => r.Name == "orders").Fields["replicaVersion"]);
            Assert.Contains("failed", rows[0].Fields["outcome"], StringComparison.Ordinal);
            var nodeIds = status["nodes"]!.AsArray().Select(n => (string)n!["id"]!).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(2, nodeIds.Count);
            Assert.Equal(nodeIds, NodeIds(page).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var node in nodes)
                node.Dispose();
        }
    }

    /// <summary>The status JSON and the page's DOM as Chromium built it, taken while nothing changed between them.</summary>
    private static async Task<(JsonNode Status, string Page)> StableAsync(DaemonProcess daemon)
    {
        for (var attempt = 0; ; attempt++)
        {
            var before = await daemon.Http.GetStringAsync("/status");
            var page = Chromium(daemon.Address + "/");
            var after = await daemon.Http.GetStringAsync("/status");
            if (Volatile(before) == Volatile(after) || attempt == 5)
                return (JsonNode.Parse(after)!, page);
        }
    }

    /// <summary>/status without the fields that move by themselves (seconds behind, next fire, check-in times).</summary>
    private static string Volatile(string status) => SecondsAndTimes().Replace(status, "");

    private static string Chromium(string url)
    {
        var browser = ChildServer.Require("chromium", "the status page test renders the page in it (apt-get install chromium; scripts/test.sh does)");
        var run = Executables.Run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--dump-dom", url], timeout: TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0 && run.Stdout.Contains("</html>", StringComparison.Ordinal), $"chromium exit {run.ExitCode}: {run.Output}");
        return run.Stdout;
    }

    private static List<(string Name, Dictionary<string, string> Fields)> Rows(string dom) =>
        [.. TableRow().Matches(dom).Select(m => (WebUtility.HtmlDecode(m.Groups[1].Value),
            Cell().Matches(m.Groups[2].Value).ToDictionary(c => c.Groups[1].Value, c => WebUtility.HtmlDecode(Tag().Replace(c.Groups[2].Value, " ")).Trim())))];

    private static IEnumerable<string> NodeIds(string dom) => NodeRow().Matches(dom).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value));

    private static string Text(JsonNode? value) => value is null ? "–" : value.ToJsonString();

    [GeneratedRegex("<tr data-table=\"([^\"]+)\"[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();

    [GeneratedRegex("<td data-field=\"(\\w+)\"[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex("<tr data-node=\"([^\"]+)\"")]
    private static partial Regex NodeRow();

    [GeneratedRegex("\"(secondsBehind|nextFireTime|lastCheckIn)\": [^,\\n]+")]
    private static partial Regex SecondsAndTimes();
}
