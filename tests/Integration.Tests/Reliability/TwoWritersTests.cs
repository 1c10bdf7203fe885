using System.Text.Json.Nodes;
using ReplicaSync.Delta;
using ReplicaSync.Integration.Tests.Daemon;
using ReplicaSync.SharingServer;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// Two daemons, not clustered, replicating one provider table into the same target at the same time. Put-if-absent
/// decides every version: the log holds exactly one commit per version, each the provider's version, and the daemon
/// that lost a race says so (a failed run of kind commit_conflict naming the version and another writer), then
/// re-plans from the winner's commits. The provider answers 503 until both daemons are up, so their first runs start
/// within a schedule interval of each other, and slowed file reads keep them overlapping for the whole history.
/// </summary>
public class TwoWritersTests(ITestOutputHelper output)
{
    private const string Table = "t";
    private const int Versions = 30;
    private static readonly TimeSpan AlignLimit = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData("local")]
    [InlineData("s3")]
    public async Task Two_daemons_on_one_target_write_exactly_one_commit_per_version_and_the_loser_names_the_conflict(string storeName)
    {
        using var provider = new TempDirectory("writers-provider");
        using var work = new TempDirectory("writers-work");
        await TrialProvider.BuildAsync(provider.Path, Versions, seed: 5);
        var closed = new FaultConfig { Rules = [new FaultRule { Match = FaultMatch.Any, Status = 503 }] };
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [Table] = provider.Path }, faults: closed);
        await using var peer = await TrialPeer.StartAsync(storeName, work.Combine("replicas"));
        var target = peer.Store.Target("shared");
        JsonObject Config() => new()
        {
            ["startupJitterSeconds"] = 0,
            ["tables"] = new JsonObject
            {
                [Table] = new JsonObject { ["source"] = sharing.Address(Table).ToString(), ["target"] = target.Address, ["from"] = "0", ["intervalSeconds"] = 1 },
            },
        };

        var logs = new List<string>();
        var metrics = new List<string>();
        Task<DaemonProcess>[] starting =
        [
            DaemonProcess.StartAsync(work.Combine("first.json"), Config(), target.Environment),
            DaemonProcess.StartAsync(work.Combine("second.json"), Config(), target.Environment),
        ];
        DaemonProcess[] daemons;
        try
        {
            daemons = await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
                (await started).Dispose();
            throw;
        }
        using (var first = daemons[0])
        using (var second = daemons[1])
        {
            sharing.Host.Faults.Clear();
            sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, DelayMilliseconds = 300 });
            foreach (var daemon in new[] { first, second })
                await daemon.WaitUntilAsync(async () => (long?)(await daemon.TableAsync(Table))["replicaVersion"] == Versions - 1, $"replica version {Versions - 1}", AlignLimit);
            foreach (var daemon in new[] { first, second })
            {
                metrics.Add(await daemon.Http.GetStringAsync("/metrics"));
                logs.AddRange((await daemon.TerminateAsync()).StdoutLines);
            }
        }

        var store = target.Open();
        var logFiles = new List<string>();
        await foreach (var file in store.ListAsync(LogFileNames.LogDir, default))
            logFiles.Add(file.Path);
        var commits = logFiles.Select(LogFileNames.ParseCommitVersion).OfType<long>().ToList();
        Assert.Equal(Enumerable.Range(0, Versions).Select(v => (long)v), commits.Order());
        Assert.All(logFiles.Where(f => LogFileNames.ParseCommitVersion(f) is null),
            f => Assert.True(f == LogFileNames.LogDir + "_last_checkpoint" || LogFileNames.ParseCheckpoint(f).Version is not null, $"unexpected {f} in the log"));
        var audit = await new ReplicaAudit(provider.Path, sharing.Address(Table).QualifiedName).CheckAsync(store, new ReplicaAudit.History(), full: true, default);
        (store as IDisposable)?.Dispose();
        Assert.Empty(audit.Problems);

        var conflicts = logs.Where(l => l.Contains("run failed", StringComparison.Ordinal) && l.Contains("(commit_conflict)", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{storeName}: {conflicts.Count} runs lost a commit race; the first: {conflicts.FirstOrDefault()}");
        foreach (var line in logs.Where(l => l.Contains("\"run ", StringComparison.Ordinal)))
            output.WriteLine(line);
        Assert.NotEmpty(conflicts);
        Assert.All(conflicts, l => Assert.Matches(@"commit \d+ already exists: another writer is active on this table", l));
        Assert.Contains(metrics, m => m.Contains("replicasync_errors_total{kind=\"commit_conflict\",table=\"t\"}", StringComparison.Ordinal));
    }
}
