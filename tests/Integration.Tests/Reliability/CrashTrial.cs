using System.Diagnostics;
using System.Text.Json.Nodes;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// Sends SIGKILLs to <c>replicasync sync</c> and to the daemon (<c>replicasync run</c>) while they replicate the
/// trial provider into one store, and checks the replica after every kill (<see cref="ReplicaAudit"/>). Replicas are
/// grown in chains: a fresh replica takes 1 to <see cref="MaxKillsPerChain"/> kills, each of a process started
/// afresh and killed once the replica's log reaches a version drawn at random from where it is to a tenth of the
/// provider's versions further, plus a random delay of up to <see cref="MaxJitter"/> (so kills land at every stage of a run, during start-up
/// too), then one run completes and the replica must equal the provider at every version and pass
/// <c>replicasync verify</c>. The random choices come from one seed, so a trial can be repeated (the moments a kill
/// lands still vary with load). With a time budget, no kill starts once it is spent; the chain under way still converges.
/// </summary>
internal sealed class CrashTrial(TrialStore store, SharingFixture sharing, string table, string providerRoot, string workDir, Action<string> log)
{
    public const int MaxKillsPerChain = 20;
    private const int SigKillExitCode = 137;
    private static readonly TimeSpan MaxJitter = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(10);

    public async Task<CrashTrialFigures> RunAsync(int kills, int seed, int providerVersions, TimeSpan budget, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(seed);
        var figures = new CrashTrialFigures { Store = store.Name, Seed = seed, ProviderVersions = providerVersions };
        var audit = new ReplicaAudit(providerRoot, sharing.Address(table).QualifiedName);

        bool More() => figures.Kills < kills && watch.Elapsed < budget;
        while (More())
        {
            ct.ThrowIfCancellationRequested();
            var chain = ++figures.Chains;
            var target = store.Target($"chain-{chain:D3}");
            var history = new ReplicaAudit.History();
            var planned = random.Next(1, MaxKillsPerChain + 1);
            // A replica already at the provider's latest version has nothing left to kill a run in.
            for (var i = 0; i < planned && More() && history.Latest != figures.ProviderVersions - 1; i++)
            {
                var daemon = random.Next(2) == 0;
                var from = history.Latest ?? -1;
                var goal = Math.Min(from + random.Next(0, Math.Max(3, figures.ProviderVersions / 10) + 1), figures.ProviderVersions - 1);
                var jitter = MaxJitter * random.NextDouble();
                var exitCode = await KillAsync(target, daemon, goal, jitter);
                var killed = exitCode == SigKillExitCode;
                if (killed && daemon)
                    figures.DaemonKills++;
                else if (killed)
                    figures.SyncKills++;
                var result = await CheckAsync(audit, target, history, full: false, figures, ct);
                log($"chain {chain}: {(daemon ? "daemon" : "sync")} {(killed ? "killed" : $"exited ({exitCode})")} past version {goal} + {jitter.TotalMilliseconds:0} ms; " +
                    $"replica from {from} to {result.Latest?.ToString() ?? "no version"}{(result.Problems.Count > 0 ? $"; {result.Problems.Count} problems" : "")}");
                if (!killed && exitCode != 0)
                    figures.Problems.Add($"{target.Address}: {(daemon ? "the daemon" : "sync")} exited with {exitCode} before the kill");
                if (!killed)
                    break;
            }
            if (await ConvergeAsync(audit, target, history, figures, ct))
                figures.ChainsConverged++;
            log($"chain {chain}: {(figures.ChainsConverged == figures.Chains ? "converged" : "DID NOT CONVERGE")}; {figures.Kills} kills so far");
        }
        figures.Elapsed = watch.Elapsed;
        log(figures.ToString());
        return figures;
    }

    private async Task<ReplicaAudit.Result> CheckAsync(ReplicaAudit audit, TrialTarget target, ReplicaAudit.History history, bool full,
        CrashTrialFigures figures, CancellationToken ct)
    {
        var checkedBefore = history.Checked.Count;
        var store = target.Open();
        ReplicaAudit.Result result;
        try
        {
            result = await audit.CheckAsync(store, history, full, ct);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
        figures.VersionsChecked += full ? history.Checked.Count : history.Checked.Count - checkedBefore;
        figures.LostVersions += result.LostVersions;
        if (result.Problems.Count > 0)
        {
            figures.InvalidReplicas++;
            foreach (var problem in result.Problems)
            {
                figures.Problems.Add($"{target.Address}: {problem}");
                log($"PROBLEM {target.Address}: {problem}");
            }
        }
        return result;
    }

    /// <summary>The chain's last run: it must complete, and the replica must equal the provider at every version and pass verify.</summary>
    private async Task<bool> ConvergeAsync(ReplicaAudit audit, TrialTarget target, ReplicaAudit.History history, CrashTrialFigures figures, CancellationToken ct)
    {
        var run = await CliProcess.RunAsync(SyncArgs(target), RunLimit, target.Environment);
        var result = await CheckAsync(audit, target, history, full: true, figures, ct);
        var verify = await CliProcess.RunAsync(["verify", "--target", target.Address], RunLimit, target.Environment);
        var reached = result.Latest == figures.ProviderVersions - 1;
        if (run.ExitCode != 0 || verify.ExitCode != 0 || !reached)
        {
            figures.Problems.Add($"{target.Address}: the completing run did not converge (sync exit {run.ExitCode}, verify exit {verify.ExitCode}, " +
                                 $"replica at {result.Latest}): {run.Stderr} {verify.Stdout}");
            return false;
        }
        return result.Problems.Count == 0;
    }

    /// <summary>Starts sync or the daemon, waits until the replica's log reaches <paramref name="goal"/> (or the process ends), then <paramref name="jitter"/>, and kills it; returns its exit code.</summary>
    private async Task<int> KillAsync(TrialTarget target, bool daemon, long goal, TimeSpan jitter)
    {
        using var process = daemon ? StartDaemon(target) : CliProcess.Start(SyncArgs(target), target.Environment);
        var store = target.Open();
        try
        {
            var log = new ReplicaSync.Delta.DeltaLog(store);
            var waited = Stopwatch.StartNew();
            while (!process.HasExited && waited.Elapsed < RunLimit && (await log.LatestVersionAsync(default) ?? -1) < goal)
                await Task.Delay(PollInterval);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
        await process.WaitForStdoutAsync(_ => false, jitter);
        var result = await process.KillAsync();
        Assert.True(!daemon || result.ExitCode == SigKillExitCode, $"the daemon exited by itself: {result}");
        return result.ExitCode;
    }

    private string[] SyncArgs(TrialTarget target) => ["sync", "--table", sharing.Address(table).ToString(), "--target", target.Address, "--from", "0"];

    private CliProcess StartDaemon(TrialTarget target)
    {
        var config = new JsonObject
        {
            ["listen"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["startupJitterSeconds"] = 0,
            ["tables"] = new JsonObject
            {
                [table] = new JsonObject
                {
                    ["source"] = sharing.Address(table).ToString(),
                    ["target"] = target.Address,
                    ["from"] = "0",
                    ["intervalSeconds"] = 1,
                },
            },
        };
        var path = Path.Combine(workDir, $"daemon-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, config.ToJsonString());
        return CliProcess.Start(["run", "--config", path], target.Environment);
    }
}
