using System.Text.Json.Nodes;
using ReplicaSync.Integration.Tests.Daemon;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Reshare;

/// <summary>
/// One process both replicates and re-shares: <c>replicasync run</c> with a <c>serve</c> section keeps replica A of
/// the provider and serves it to a recipient; a sync from that endpoint gives replica B, aligned with the provider.
/// </summary>
public sealed class DaemonServeTests
{
    [Fact]
    public async Task The_daemon_serves_its_replica_and_a_sync_from_it_is_aligned_with_the_provider()
    {
        using var provider = new TempDirectory("provider");
        using var replicas = new TempDirectory("daemon-replicas");
        using var replicaB = new TempDirectory("replica-b");
        var table = await ReshareHop.GrowProviderAsync(provider.Path);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["orders"] = provider.Path });
        var config = DaemonConfig.For(sharing, replicas.Path, ("orders", "1"));
        var servePort = FreePort.Next();
        config["serve"] = new JsonObject
        {
            ["listen"] = $"http://127.0.0.1:{servePort}",
            ["recipients"] = new JsonArray(new JsonObject
            {
                ["name"] = ReshareHop.Recipient, ["token"] = ReshareHop.Token, ["shares"] = new JsonArray("replicas"),
            }),
            ["tables"] = new JsonObject { ["orders"] = ReshareHop.Qualified },
        };

        using var daemon = await DaemonProcess.StartAsync(sharing.Dir.Combine("daemon.json"), config);
        await daemon.WaitForReplicaVersionAsync("orders", table.Version);
        var profile = sharing.Dir.Combine("reshare.share");
        await File.WriteAllTextAsync(profile, new JsonObject
        {
            ["shareCredentialsVersion"] = 1,
            ["endpoint"] = $"http://127.0.0.1:{servePort}/delta-sharing",
            ["bearerToken"] = ReshareHop.Token,
        }.ToJsonString());
        var report = await ReshareHop.SyncAsync(profile, ReshareHop.Qualified, new LocalObjectStore(replicaB.Path));

        Assert.True(report.Reached);
        Assert.Equal(table.Version, report.ProviderVersion);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replicaB.Path, Sharing.TableAddress.Parse($"{profile}#{ReshareHop.Qualified}").QualifiedName);
        await daemon.WaitUntilAsync(() => Task.FromResult(daemon.Output.Any(l => l.Contains("recipient=" + ReshareHop.Recipient, StringComparison.Ordinal)
            && l.Contains("table=replicas.eu.orders", StringComparison.Ordinal))), "an audit line for the recipient");
        Assert.DoesNotContain(daemon.Output, l => l.Contains(ReshareHop.Token, StringComparison.Ordinal) || l.Contains("sig=", StringComparison.Ordinal));
    }
}
