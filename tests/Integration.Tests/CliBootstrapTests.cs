using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary><c>sync --from</c> through the real executable: it bootstraps as asked and says how the replica began.</summary>
public class CliBootstrapTests
{
    [Fact]
    public async Task From_latest_bootstraps_from_a_snapshot_and_says_so()
    {
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["simple"] = TestPaths.Table("simple_table") });
        using var replica = new TempDirectory("cli-replica");
        var address = sharing.Address("simple").ToString();

        var sync = await CliProcess.RunAsync("sync", "--table", address, "--target", replica.Path, "--from", "latest");

        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("share.default.simple: new replica, snapshot at version 4", sync.StdoutLines);
        Assert.Equal(["00000000000000000004.checkpoint.parquet", "_last_checkpoint"],
            Directory.GetFiles(Path.Combine(replica.Path, "_delta_log")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var status = await CliProcess.RunAsync("status", "--target", replica.Path);
        Assert.Contains(status.StdoutLines, l => l.StartsWith("version:") && l.EndsWith(" 4"));
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table("simple_table"), replica.Path, "share.default.simple");
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-1")]
    public async Task A_bad_from_value_is_a_clear_error_and_writes_nothing(string from)
    {
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["simple"] = TestPaths.Table("simple_table") });
        using var replica = new TempDirectory("cli-replica");

        var sync = await CliProcess.RunAsync("sync", "--table", sharing.Address("simple").ToString(), "--target", replica.Path, "--from", from);

        Assert.NotEqual(0, sync.ExitCode);
        Assert.Contains("--from", sync.Stderr);
        Assert.False(Directory.Exists(Path.Combine(replica.Path, "_delta_log")));
    }
}
