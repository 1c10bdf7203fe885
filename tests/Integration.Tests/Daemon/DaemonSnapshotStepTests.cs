using System.Net;
using System.Text.Json.Nodes;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>
/// <c>replicasync run</c> with a table shared without history and no <c>from</c> (so latest): it logs what the start
/// will copy, follows the table by snapshot steps, and <c>/status</c> says which versions the replica holds.
/// </summary>
public sealed class DaemonSnapshotStepTests
{
    [Fact]
    public async Task The_default_start_is_logged_with_its_cost_and_status_says_which_versions_the_replica_holds()
    {
        using var provider = new TempDirectory("daemon-steps-provider");
        using var replicas = new TempDirectory("daemon-steps-replicas");
        var table = new ProviderTableBuilder(provider.Path, seed: 5);
        await table.CreateAsync("a", "b");
        await table.AppendAsync("a");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path }, historyShared: false);
        var config = DaemonConfig.For(sharing, replicas.Path, ("t", "3600"));
        ((JsonObject)config["tables"]!["t"]!).Remove("from");
        var replica = Path.Combine(replicas.Path, "t");

        using var daemon = await DaemonProcess.StartAsync(sharing.Dir.Combine("daemon.json"), config);
        await WaitForHeldAsync(daemon, "snapshot at 1");
        Assert.Contains(daemon.Output, l => l.Contains("new replica: t starts with snapshot at version 1: will copy 3 files", StringComparison.Ordinal));

        await table.AppendAsync("c");
        await table.DeleteAsync(1);
        await table.OptimizeAsync("a");
        Assert.Equal(HttpStatusCode.Accepted, (await daemon.Http.PostAsync("/tables/t/sync", null)).StatusCode);
        await WaitForHeldAsync(daemon, "snapshot steps at 1, 4");
        Assert.Equal(4, (long?)(await daemon.TableAsync("t"))["replicaVersion"]);
        await StepReplicaCheck.AssertHeldAlignedAsync(provider.Path, replica, sharing.Address("t").QualifiedName, 1, 4);
        Assert.Equal(0, (await daemon.TerminateAsync()).ExitCode);
    }

    private static Task WaitForHeldAsync(DaemonProcess daemon, string held) =>
        daemon.WaitUntilAsync(async () => (string?)(await daemon.TableAsync("t"))["versionsHeld"] == held, $"versions held '{held}'");
}
