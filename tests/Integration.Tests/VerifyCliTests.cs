using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary><c>replicasync verify</c> re-reads the replica and catches a file whose bytes changed after the copy.</summary>
public class VerifyCliTests
{
    [Fact]
    public async Task Verify_passes_a_fresh_replica_and_reports_a_corrupted_byte_with_a_failing_exit_code()
    {
        using var provider = new TempDirectory("provider");
        var table = await CopyFaultTests.BuildAsync(provider.Path, versions: 3, filesPerVersion: 3, (2000, 4000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        using var replica = new TempDirectory("replica");
        Assert.True((await ReplicationTests.SyncAsync(sharing, "t", replica.Path)).Reached);

        var clean = await CliProcess.RunAsync("verify", "--target", replica.Path);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("6 files", clean.Stdout);
        Assert.Contains("6 with a CRC-32C: all verified", clean.Stdout);

        // Same size, one byte flipped: only the checksum can tell.
        var victim = Directory.GetFiles(replica.Path, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var bytes = await File.ReadAllBytesAsync(victim);
        bytes[bytes.Length / 2] ^= 0x5A;
        await File.WriteAllBytesAsync(victim, bytes);
        var corrupted = await CliProcess.RunAsync("verify", "--target", replica.Path);
        Assert.Equal(1, corrupted.ExitCode);
        var key = Path.GetRelativePath(replica.Path, victim).Replace(Path.DirectorySeparatorChar, '/');
        Assert.Contains($"mismatch: {key}: CRC-32C", corrupted.Stdout);
        Assert.Contains("1 problems", corrupted.Stdout);

        File.Delete(victim);
        var missing = await CliProcess.RunAsync("verify", "--target", replica.Path);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"mismatch: {key}: missing", missing.Stdout);
    }
}
