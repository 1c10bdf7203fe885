using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// Kill -9 trials on every store, CI-sized: a few SIGKILLs of <c>sync</c> and of the daemon, each followed by the
/// replica checks, then a completing run. <c>scripts/crash-trials.sh</c> runs the same test with many kills through
/// REPLICASYNC_TRIAL_KILLS (and _SEED, _VERSIONS, _MINUTES, _LOG). Nothing depends on where a kill lands.
/// </summary>
public class CrashTrialTests(ITestOutputHelper output)
{
    private const string Table = "trial";

    [Theory]
    [InlineData("local")]
    [InlineData("s3")]
    [InlineData("azure")]
    [InlineData("gcs")]
    public async Task Every_replica_left_by_a_kill_is_valid_and_never_goes_back_and_every_chain_converges(string storeName)
    {
        var kills = TrialSettings.Int("KILLS", 3);
        var seed = TrialSettings.Int("SEED", 1206);
        var versions = TrialSettings.Int("VERSIONS", 24);
        var budget = TrialSettings.Int("MINUTES", 0) is > 0 and var minutes ? TimeSpan.FromMinutes(minutes) : TimeSpan.MaxValue;
        var log = TrialSettings.Log(output);
        log($"crash trial on {storeName}: {kills} kills, seed {seed}, provider of {versions} versions");

        using var provider = new TempDirectory("trial-provider");
        using var work = new TempDirectory("trial-work");
        await TrialProvider.BuildAsync(provider.Path, versions, seed);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [Table] = provider.Path });
        await using var peer = await TrialPeer.StartAsync(storeName, work.Combine("replicas"));

        var figures = await new CrashTrial(peer.Store, sharing, Table, provider.Path, work.Path, log).RunAsync(kills, seed, versions, budget, default);

        Assert.True(figures.Problems.Count == 0, string.Join("\n", figures.Problems));
        Assert.Equal(0, figures.InvalidReplicas);
        Assert.Equal(0, figures.LostVersions);
        Assert.Equal(figures.Chains, figures.ChainsConverged);
        Assert.True(figures.Kills >= kills || figures.Elapsed >= budget, figures.ToString());
    }
}
