using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>A requested stop (a daemon draining) ends a run cleanly: nothing new is planned, what was handed over commits.</summary>
public class StopRequestTests
{
    [Fact]
    public async Task A_stop_requested_mid_run_commits_the_versions_in_flight_and_the_next_run_goes_on()
    {
        using var provider = new TempDirectory("provider");
        await CopyFaultTests.BuildAsync(provider.Path, versions: 12, filesPerVersion: 2, (1000, 3000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        using var replica = new TempDirectory("replica");
        using var stop = new CancellationTokenSource();
        var observer = new StopAfter(3, stop);

        var stopped = await ReplicationTests.SyncAsync(sharing, "t", replica.Path,
            new SyncOptions { StopRequested = stop.Token, Observer = observer, VersionsAhead = 2 });

        Assert.False(stopped.Reached);
        Assert.InRange(stopped.EndVersion, 3, 10);
        Assert.Equal(Enumerable.Range(0, (int)stopped.EndVersion + 1).Select(v => (long)v), stopped.Versions.Select(v => v.Version));
        Assert.Equal($"asked to stop before version {stopped.EndVersion + 1}", stopped.StoppedBecause);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, sharing.Address("t").QualifiedName, upTo: stopped.EndVersion);

        var rest = await ReplicationTests.SyncAsync(sharing, "t", replica.Path);
        Assert.True(rest.Reached);
        Assert.Equal(stopped.EndVersion + 1, rest.Versions[0].Version);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, sharing.Address("t").QualifiedName);
    }

    /// <summary>Requests the stop once version <c>at</c> is committed.</summary>
    private sealed class StopAfter(long at, CancellationTokenSource stop) : ISyncObserver
    {
        public void VersionCommitted(VersionReport report)
        {
            if (report.Version == at)
                stop.Cancel();
        }
    }
}
