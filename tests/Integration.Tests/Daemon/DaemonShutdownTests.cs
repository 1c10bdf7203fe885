using Xunit.Abstractions;
using System.Net;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>
/// SIGTERM while a long catch-up is copying: the daemon exits 0, the replica is a valid prefix of the provider's
/// history (whole commits only), and the next start completes it. With a grace period the run stops after the
/// commit in progress; with none it is cancelled mid-copy. The moment varies; the assertions hold for any moment.
/// </summary>
public sealed class DaemonShutdownTests(ITestOutputHelper output)
{
    private const int Versions = 40;

    [Theory]
    [InlineData(20)]
    [InlineData(0)]
    public async Task Sigterm_mid_copy_leaves_a_valid_replica_that_the_next_start_completes(int graceSeconds)
    {
        using var provider = new TempDirectory("daemon-stop-provider");
        using var replicas = new TempDirectory("daemon-stop-replicas");
        var table = new ProviderTableBuilder(provider.Path, seed: 11);
        await table.CreateAsync("a", "b", "c", "d", "e", null);
        for (var v = 1; v < Versions; v++)
        {
            if (v % 10 == 5)
                await table.DeleteAsync(3);
            else
                await table.AppendAsync("a", "b", "c", "d", "e", null);
        }
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["grown"] = provider.Path });
        var config = DaemonConfig.For(sharing, replicas.Path, ("grown", "3600"));
        config["shutdownGraceSeconds"] = graceSeconds;
        var replica = Path.Combine(replicas.Path, "grown");
        var address = sharing.Address("grown");

        CliResult stopped;
        using (var daemon = await DaemonProcess.StartAsync(sharing.Dir.Combine("daemon.json"), config))
        {
            await daemon.WaitUntilAsync(async () => (long?)(await daemon.TableAsync("grown"))["replicaVersion"] >= 3, "the first commits");
            stopped = await daemon.TerminateAsync();
        }

        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        // Drained at a version boundary ("run stopped: …") or, after the grace period, cancelled ("run stopped for shutdown").
        var midRun = stopped.StdoutLines.Any(l => l.Contains("\"Message\":\"run stopped", StringComparison.Ordinal));
        var log = new DeltaLog(new LocalObjectStore(replica));
        var k = (await log.LatestVersionAsync(default))!.Value;
        output.WriteLine($"grace {graceSeconds} s: stopped {(midRun ? "mid-run" : "after the run")} at replica version {k} of {Versions - 1}");
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica, address.QualifiedName, upTo: k);
        Assert.True(midRun || k == Versions - 1, $"the run neither finished nor reported stopping:\n{stopped}");

        using (var restarted = await DaemonProcess.StartAsync(sharing.Dir.Combine("daemon.json"), config))
        {
            await restarted.WaitForReplicaVersionAsync("grown", Versions - 1);
            Assert.Equal(HttpStatusCode.OK, (await restarted.Http.GetAsync("/readyz")).StatusCode);
            Assert.Equal(0, (await restarted.TerminateAsync()).ExitCode);
        }
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica, address.QualifiedName);
    }
}
