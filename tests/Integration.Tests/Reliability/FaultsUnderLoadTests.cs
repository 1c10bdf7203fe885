using System.Diagnostics;
using ReplicaSync.Integration.Tests.Daemon;
using ReplicaSync.SharingServer;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// Many tables at once in one daemon while the SharingServer injects faults at random (seeded): 429, 500 and 503
/// answers, connection resets, truncated and slow file bodies, and file URLs refused 2 s after they were issued.
/// Every table must end aligned with its provider at every version; the retries and URL refreshes the daemon
/// counted are reported. REPLICASYNC_TRIAL_TABLES, _VERSIONS and _SEED size a larger run.
/// </summary>
public class FaultsUnderLoadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan AlignLimit = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task Fifty_tables_under_random_provider_faults_all_end_aligned_and_the_retries_are_counted()
    {
        var tableCount = TrialSettings.Int("TABLES", 50);
        var versions = TrialSettings.Int("VERSIONS", 6);
        var seed = TrialSettings.Int("SEED", 1206);
        var log = TrialSettings.Log(output);
        using var providers = new TempDirectory("load-providers");
        using var replicas = new TempDirectory("load-replicas");
        var tables = Enumerable.Range(1, tableCount).Select(i => $"t{i:D3}").ToList();
        for (var i = 0; i < tables.Count; i++)
            await TrialProvider.BuildAsync(Path.Combine(providers.Path, tables[i]), versions, seed + i);
        await using var sharing = await SharingFixture.StartAsync(tables.ToDictionary(t => t, t => Path.Combine(providers.Path, t)), faults: Faults(seed));
        var config = DaemonConfig.For(sharing, replicas.Path, tables.Select(t => (t, "2")).ToArray());
        config["maxConcurrentRuns"] = 8;
        config["startupJitterSeconds"] = 2;

        var watch = Stopwatch.StartNew();
        string metrics;
        using (var daemon = await DaemonProcess.StartAsync(sharing.Dir.Combine("daemon.json"), config))
        {
            await daemon.WaitUntilAsync(async () =>
            {
                var status = (await daemon.StatusAsync())["tables"]!.AsArray();
                return status.Count(t => (long?)t!["replicaVersion"] == versions - 1) == tableCount;
            }, $"all {tableCount} tables at version {versions - 1}", AlignLimit);
            metrics = await daemon.Http.GetStringAsync("/metrics");
            await daemon.TerminateAsync();
        }
        var elapsed = watch.Elapsed;

        foreach (var table in tables)
            await ReplicaComparer.AssertAlignedAsync(Path.Combine(providers.Path, table), Path.Combine(replicas.Path, table), sharing.Address(table).QualifiedName);
        var faults = sharing.Host.Faults;
        var retries = MetricSums.ByLabel(metrics, "replicasync_retries_total", "reason");
        log($"faults under load, seed {seed}: {tableCount} tables of {versions} versions aligned in {elapsed.TotalSeconds:0} s; " +
            $"{faults.InjectedCount} faults injected and {faults.ExpiredUrlCount} file URLs refused as expired by the server; " +
            $"daemon: {retries.Values.Sum():0} retries ({string.Join(", ", retries.Select(r => $"{r.Key} {r.Value:0}"))}), " +
            $"{MetricSums.Sum(metrics, "replicasync_url_refreshes_total"):0} URL refreshes, " +
            $"{MetricSums.Sum(metrics, "replicasync_runs_total", "outcome=\"failed\""):0} failed runs retried by the schedule, " +
            $"{MetricSums.Sum(metrics, "replicasync_runs_total", "outcome=\"succeeded\""):0} runs succeeded");
        Assert.True(faults.InjectedCount > 0, "no fault was injected: the trial proved nothing");
    }

    /// <summary>Each request has a few percent chance of each fault; file bodies are also slowed, so URLs outlive the 2 s expiry.</summary>
    private static FaultConfig Faults(int seed) => new()
    {
        Seed = seed,
        UrlExpirySeconds = 2,
        Rules =
        [
            new FaultRule { Match = FaultMatch.Any, Status = 429, Probability = 0.03 },
            new FaultRule { Match = FaultMatch.Any, Status = 503, Probability = 0.03 },
            new FaultRule { Match = FaultMatch.Any, Status = 500, Probability = 0.02 },
            new FaultRule { Match = FaultMatch.Any, ResetConnection = true, Probability = 0.02 },
            new FaultRule { Match = FaultMatch.File, TruncateAfterBytes = 200, Probability = 0.05 },
            new FaultRule { Match = FaultMatch.File, DelayMilliseconds = 500, Probability = 0.1 },
        ],
    };
}
