using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>Many tables in one daemon: all replicate, and never more run at once than <c>maxConcurrentRuns</c>.</summary>
public sealed class DaemonConcurrencyTests
{
    private const int Tables = 30;
    private const int Limit = 2;

    [Fact]
    public async Task Thirty_tables_replicate_with_at_most_the_configured_number_of_runs_at_once()
    {
        using var provider = new TempDirectory("daemon-many-provider");
        using var replicas = new TempDirectory("daemon-many-replicas");
        var table = new ProviderTableBuilder(provider.Path, seed: 21);
        await table.CreateAsync("a", "b", "c");
        for (var v = 0; v < 5; v++)
            await table.AppendAsync("a", "b", "c");
        var names = Enumerable.Range(0, Tables).Select(i => $"t{i:D2}").ToList();
        await using var sharing = await SharingFixture.StartAsync(names.ToDictionary(n => n, _ => provider.Path));
        var config = DaemonConfig.For(sharing, replicas.Path, [.. names.Select(n => (n, "3600"))]);
        config["maxConcurrentRuns"] = Limit;
        config["startupJitterSeconds"] = 1;

        using var daemon = await DaemonProcess.StartAsync(sharing.Dir.Combine("daemon.json"), config);
        var mostRunning = 0;
        await daemon.WaitUntilAsync(async () =>
        {
            var tables = (await daemon.StatusAsync())["tables"]!.AsArray();
            mostRunning = Math.Max(mostRunning, tables.Count(t => (bool)t!["running"]!));
            return tables.All(t => (long?)t!["replicaVersion"] == table.Version && (string?)t!["lastRun"]?["outcome"] == "succeeded");
        }, $"all {Tables} tables at version {table.Version}");

        Assert.InRange(mostRunning, 0, Limit);
        foreach (var name in names.Take(3))
            await ReplicaComparer.AssertAlignedAsync(provider.Path, Path.Combine(replicas.Path, name), sharing.Address(name).QualifiedName);
        Assert.Equal(0, (await daemon.TerminateAsync()).ExitCode);
    }
}
