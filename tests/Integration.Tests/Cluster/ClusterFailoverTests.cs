using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReplicaSync.Integration.Tests.Daemon;
using ReplicaSync.SharingServer;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Integration.Tests.Cluster;

/// <summary>
/// Three daemon processes as one cluster on PostgreSQL share 30 tables; one is killed with SIGKILL in the middle of
/// copies. Every table converges, no version is committed twice, the dead node's tables are resumed by the others
/// soon after its check-ins stop, and a node that joins later takes work.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ClusterFailoverTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const int Tables = 30;
    // Dead-node detection takes up to two check-in intervals (missed check-in, then the next survivor's check-in);
    // the rest is slack for a loaded 2-core machine running four daemons, a server and PostgreSQL.
    private static readonly TimeSpan ResumeBound = 2 * ClusterConfig.CheckinInterval + TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Converge = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_node_killed_mid_copy_has_its_tables_resumed_elsewhere_and_every_table_converges_once()
    {
        using var provider = new TempDirectory("cluster-provider");
        using var replicas = new TempDirectory("cluster-replicas");
        var table = new ProviderTableBuilder(provider.Path, seed: 15);
        await table.CreateAsync("a", "b", "c");
        for (var v = 0; v < 3; v++)
            await table.AppendAsync("a", "b", "c");
        var names = Enumerable.Range(0, Tables).Select(i => $"t{i:D2}").ToList();
        await using var sharing = await SharingFixture.StartAsync(names.ToDictionary(n => n, _ => provider.Path));
        // Every file answer waits, so each run is several seconds of copying: a kill finds copies in flight.
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, DelayMilliseconds = 1500 });
        var config = ClusterConfig.For(sharing, replicas.Path, await postgres.CreateDatabaseAsync(), names, intervalSeconds: 4);

        var nodes = new List<(DaemonProcess Daemon, string Id)>();
        try
        {
            for (var i = 0; i < 3; i++)
                nodes.Add(await ClusterConfig.StartNodeAsync(sharing, config, i));
            var (victim, victimId) = nodes[0];
            var survivor = nodes[1].Daemon;

            // Kill the first node once it is copying: it has a table running and none of its runs has finished yet
            // past the first version, so the kill lands mid-run.
            HashSet<string> orphaned = [];
            await survivor.WaitUntilAsync(async () =>
            {
                orphaned = [.. (await TablesAsync(survivor)).Where(t => (bool)t["running"]! && (string?)t["node"] == victimId).Select(t => (string)t["name"]!)];
                return orphaned.Count > 0;
            }, $"a table running on {victimId}", Converge);
            var killedAt = DateTimeOffset.UtcNow;
            var victimOutput = (await victim.KillAsync()).StdoutLines;
            var sinceKill = Stopwatch.StartNew();

            // Its tables are picked up by the survivors: a run started after the kill, on another node.
            var resumedWithin = TimeSpan.Zero;
            await survivor.WaitUntilAsync(async () =>
            {
                var resumed = (await TablesAsync(survivor)).Where(t => orphaned.Contains((string)t["name"]!)
                    && (string?)t["node"] != victimId && (DateTimeOffset?)t["lastRun"]?["start"] > killedAt).ToList();
                resumedWithin = sinceKill.Elapsed;
                return resumed.Count == orphaned.Count;
            }, $"the dead node's tables ({string.Join(", ", orphaned)}) resumed elsewhere", Converge);
            output.WriteLine($"killed {victimId} running {string.Join(", ", orphaned)}; resumed elsewhere after {resumedWithin.TotalSeconds:0.#} s");
            Assert.True(resumedWithin <= ResumeBound, $"resumed after {resumedWithin.TotalSeconds:0.#} s, beyond {ResumeBound.TotalSeconds} s");
            await survivor.WaitUntilAsync(async () => !(await NodesAsync(survivor)).Any(n => (string)n["id"]! == victimId && (string)n["state"]! == "alive"),
                "the dead node no longer alive in /status", Converge);

            // A node joining now takes work, and a new provider version reaches every replica.
            var joined = await ClusterConfig.StartNodeAsync(sharing, config, 3);
            nodes.Add(joined);
            await table.AppendAsync("a", "b");
            await survivor.WaitUntilAsync(async () => (await TablesAsync(survivor)).Any(t => (string?)t["node"] == joined.Id && t["lastRun"] is not null),
                $"a run on the node that joined ({joined.Id})", Converge);
            await survivor.WaitUntilAsync(async () => (await TablesAsync(survivor)).All(t => (long?)t["replicaVersion"] == table.Version),
                $"all {Tables} tables at version {table.Version}", Converge);
            // Waited for, not read once: on a loaded machine a node can miss a 2-second check-in and show as overdue briefly.
            await survivor.WaitUntilAsync(async () => (await NodesAsync(survivor)).Any(n => (string)n["id"]! == joined.Id && (string)n["state"]! == "alive"),
                $"the node that joined ({joined.Id}) alive in /status", Converge);

            foreach (var name in names)
                await ReplicaComparer.AssertAlignedAsync(provider.Path, Path.Combine(replicas.Path, name), sharing.Address(name).QualifiedName);
            // Every commit any node logged, the dead one's included: no table version was committed twice.
            var commits = nodes.Skip(1).SelectMany(n => n.Daemon.Output).Concat(victimOutput)
                .Select(l => Committed().Match(l)).Where(m => m.Success).Select(m => (m.Groups[1].Value, long.Parse(m.Groups[2].Value))).ToList();
            Assert.NotEmpty(commits);
            output.WriteLine($"{commits.Count} commits logged; by node: " + string.Join(", ", nodes.Select(n => $"{n.Id}={n.Daemon.Output.Count(l => Committed().IsMatch(l))}")));
            var twice = commits.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => $"{g.Key.Item1} v{g.Key.Item2}").ToList();
            Assert.True(twice.Count == 0, "committed twice: " + string.Join(", ", twice));
            Assert.Contains(commits, c => orphaned.Contains(c.Item1)); // the orphaned tables were finished by someone
        }
        finally
        {
            foreach (var (daemon, _) in nodes)
                daemon.Dispose();
        }
    }

    private static async Task<List<JsonNode>> TablesAsync(DaemonProcess daemon) => [.. (await daemon.StatusAsync())["tables"]!.AsArray().Select(t => t!)];

    private static async Task<List<JsonNode>> NodesAsync(DaemonProcess daemon) => [.. (await daemon.StatusAsync())["nodes"]!.AsArray().Select(n => n!)];

    [GeneratedRegex(@"committed: (t\d\d) version (\d+) ")]
    private static partial Regex Committed();
}
