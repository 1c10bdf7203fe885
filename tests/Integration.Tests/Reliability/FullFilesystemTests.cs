using ReplicaSync.Storage;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// The real <c>replicasync sync</c> into a real filesystem that fills before the run ends: a tmpfs half the size of
/// the provider's table (needs root; see <see cref="TmpfsMount"/>). The kernel's ENOSPC must end the run with an error
/// naming it and the file, leave a valid prefix of the provider's versions with no temp files eating the space, and
/// once the filesystem grows the next run must converge.
/// </summary>
public class FullFilesystemTests(ITestOutputHelper output)
{
    private const string Table = "t";
    private const int Versions = 20;
    private const long Room = 64 << 20;
    private const long Page = 4096;
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_sync_into_a_full_filesystem_fails_naming_it_leaves_a_valid_prefix_and_converges_once_it_grows()
    {
        using var provider = new TempDirectory("full-fs-provider");
        await TrialProvider.BuildAsync(provider.Path, Versions, seed: 13);
        // tmpfs gives every file whole pages: half the table's footprint in pages fills about halfway through the run.
        var footprint = Directory.EnumerateFiles(provider.Path, "*", SearchOption.AllDirectories).Sum(f => (new FileInfo(f).Length + Page - 1) / Page * Page);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [Table] = provider.Path });
        using var disk = await TmpfsMount.MountAsync(footprint / 2);
        var replica = Path.Combine(disk.Path, "replica");
        var qualified = sharing.Address(Table).QualifiedName;
        var audit = new ReplicaAudit(provider.Path, qualified);
        var history = new ReplicaAudit.History();
        string[] sync = ["sync", "--table", sharing.Address(Table).ToString(), "--target", replica, "--from", "0"];

        var full = await CliProcess.RunAsync(sync, RunLimit);
        Assert.NotEqual(0, full.ExitCode);
        Assert.True(full.Stderr.Contains("No space left on device", StringComparison.Ordinal), $"the failure does not name the full disk: {full}");
        Assert.True(full.Stderr.Contains(replica, StringComparison.Ordinal), $"the failure does not name the file it could not write: {full}");
        var left = await audit.CheckAsync(new LocalObjectStore(replica), history, full: true, default);
        Assert.True(left.Problems.Count == 0, string.Join("\n", left.Problems));
        Assert.True(left.Latest is not null && left.Latest < Versions - 1,
            $"the filesystem did not fill in the middle of the run (replica at {left.Latest?.ToString() ?? "nothing"})");
        Assert.Empty(Directory.EnumerateFiles(disk.Path, $"*{LocalObjectStore.TempMarker}*", SearchOption.AllDirectories));
        await AssertVerifiesAsync(replica);

        await disk.ResizeAsync(Room);
        var after = await CliProcess.RunAsync(sync, RunLimit);
        Assert.True(after.ExitCode == 0, after.ToString());
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica, qualified);
        await AssertVerifiesAsync(replica);
        output.WriteLine($"a {footprint / 2}-byte tmpfs filled at replica version {left.Latest} of {Versions - 1}: " +
                         $"{full.StderrLines.LastOrDefault(l => l.Length > 0)}; after growing it the next run converged");
    }

    private static async Task AssertVerifiesAsync(string replica)
    {
        var verify = await CliProcess.RunAsync(["verify", "--target", replica], RunLimit);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}
