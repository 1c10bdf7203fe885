using Xunit.Abstractions;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// <c>replicasync sync</c> killed with SIGKILL part-way through a long catch-up: the replica left behind is a valid
/// Delta table at some earlier provider version, and the next run converges. The kill moment varies; what is
/// asserted holds for any moment, so the test never depends on timing.
/// </summary>
public class CliCrashSafetyTests(ITestOutputHelper output)
{
    private const int Versions = 40;
    private const string Table = "grown";

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(25)]
    public async Task A_sync_killed_mid_run_leaves_a_valid_prefix_and_the_next_sync_converges(int killAfterVersionLines)
    {
        using var provider = new TempDirectory("cli-crash-provider");
        using var replica = new TempDirectory("cli-crash-replica");
        await BuildProviderAsync(provider.Path);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [Table] = provider.Path });
        var address = sharing.Address(Table);
        string[] syncArgs = ["sync", "--table", address.ToString(), "--target", replica.Path, "--from", "0"];

        CliResult killed;
        using (var sync = CliProcess.Start(syncArgs))
        {
            // Whether the line count is reached or the run ends first, the checks below must hold.
            await sync.WaitForStdoutAsync(lines => lines.Count(IsVersionLine) >= killAfterVersionLines, TimeSpan.FromSeconds(60));
            killed = await sync.KillAsync();
        }
        var reported = killed.StdoutLines.Where(IsVersionLine).Select(VersionOf).ToList();
        Assert.Equal(Enumerable.Range(0, reported.Count).Select(v => (long)v), reported);

        // The log is a contiguous prefix 0..k of complete commits, checkpoints of some of them and the checkpoint hint;
        // anything else in it is an unpublished temp file.
        var logDir = Path.Combine(replica.Path, "_delta_log");
        var names = Directory.Exists(logDir) ? Directory.GetFiles(logDir).Select(Path.GetFileName).ToList() : [];
        var commits = names.Select(n => LogFileNames.ParseCommitVersion(LogFileNames.LogDir + n)).OfType<long>().Order().ToList();
        Assert.Equal(Enumerable.Range(0, commits.Count).Select(v => (long)v), commits);
        Assert.All(names.Where(n => LogFileNames.ParseCommitVersion(LogFileNames.LogDir + n) is null && n != "_last_checkpoint"),
            n => Assert.True(n!.Contains(".replicasync-tmp-") || LogFileNames.ParseCheckpoint(LogFileNames.LogDir + n).Version <= commits.LastOrDefault(), n));
        Assert.True(commits.Count >= reported.Count, $"versions 0..{reported.Count - 1} were reported but only {commits.Count} commits are in the log");
        var k = commits.Count - 1;
        // Where new files are unnamed until complete, a kill leaves no temp file anywhere in the replica.
        using (var probe = new TempDirectory("cli-crash-probe"))
        {
            var store = new LocalObjectStore(probe.Path);
            await store.WriteAsync("probe", new MemoryStream([1]), default);
            if (store.UsesUnnamedFiles)
                Assert.Empty(Directory.GetFiles(replica.Path, $"*{LocalObjectStore.TempMarker}*", SearchOption.AllDirectories));
        }
        output.WriteLine($"killed (exit {killed.ExitCode}) after {reported.Count} version lines; log at version {k}; " +
                         $"{names.Count - commits.Count} temp files left in _delta_log");

        if (k >= 0)
        {
            // Every commit parses, is a replica commit of its own version, and every file it adds exists with its size.
            var log = new DeltaLog(new LocalObjectStore(replica.Path));
            await foreach (var commit in log.ReadCommitsAsync(0, k, default))
            {
                Assert.IsType<CommitInfo>(commit.Actions[0]);
                Assert.Equal(commit.Version, Assert.Single(commit.Actions.OfType<SetTransaction>()).Version);
                foreach (var add in commit.Actions.OfType<AddFile>())
                {
                    var file = new FileInfo(Path.Combine(replica.Path, ReplicaPaths.FromLogPath(add.Path)));
                    Assert.True(file.Exists, $"{add.Path} is added by commit {commit.Version} but missing");
                    Assert.Equal(add.Size, file.Length);
                }
            }
            // And the prefix is the provider's history, version for version.
            await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, address.QualifiedName, upTo: k);
        }

        var rerun = await CliProcess.RunAsync(syncArgs);

        Assert.True(rerun.ExitCode == 0, $"after a kill at version {k}: {rerun}");
        Assert.Equal(Enumerable.Range(k + 1, Versions - 1 - k).Select(v => (long)v), rerun.StdoutLines.Where(IsVersionLine).Select(VersionOf));
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, address.QualifiedName);
    }

    /// <summary>Versions 0..39: mostly appends of six files, with deletes and OPTIMIZE rewrites mixed in.</summary>
    private static async Task BuildProviderAsync(string root)
    {
        var table = new ProviderTableBuilder(root, seed: 7);
        await table.CreateAsync("a", "b", "c", "d", "e", null);
        for (var v = 1; v < Versions; v++)
        {
            switch (v % 10)
            {
                case 5:
                    await table.DeleteAsync(3);
                    break;
                case 9:
                    await table.OptimizeAsync("a");
                    break;
                default:
                    await table.AppendAsync("a", "b", "c", "d", "e", null);
                    break;
            }
        }
        Assert.Equal(Versions - 1, table.Version);
    }

    private static bool IsVersionLine(string line) => line.StartsWith("version ", StringComparison.Ordinal);

    private static long VersionOf(string line) => long.Parse(line["version ".Length..line.IndexOf(':')]);
}
