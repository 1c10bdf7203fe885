using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.SharingServer;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>How a run meets the provider's HTTP errors and faults: clear errors, retries where they help, nothing half-written.</summary>
public class ProviderErrorTests
{
    private static Dictionary<string, string> SimpleTable => new() { ["simple"] = TestPaths.Table("simple_table") };

    [Fact]
    public async Task A_wrong_token_is_a_401_that_names_no_secret_and_is_not_retried()
    {
        await using var sharing = await SharingFixture.StartAsync(SimpleTable);
        var profile = sharing.Dir.Combine("wrong.share");
        sharing.Host.WriteProfile(profile, "wrong-token-5e1d");
        using var replica = new TempDirectory("replica");
        using var client = new SharingClient(SharingProfile.Load(profile), options: new SharingClientOptions { BaseDelay = TimeSpan.FromMilliseconds(5) });
        using var http = FileHttp.CreateClient();
        var engine = new SyncEngine(client, new LocalObjectStore(replica.Path), http);

        var e = await Assert.ThrowsAsync<SharingHttpException>(() =>
            engine.RunAsync(TableAddress.Parse(profile + "#share.default.simple"), null, null, default));

        Assert.Equal(401, e.StatusCode);
        Assert.DoesNotContain("wrong-token-5e1d", e.ToString());
        Assert.Equal(0, sharing.Host.Faults.RequestCount(RequestKind.Version));
        Assert.Empty(Directory.GetFileSystemEntries(replica.Path));
    }

    [Fact]
    public async Task An_unknown_table_is_a_404_and_nothing_is_written()
    {
        await using var sharing = await SharingFixture.StartAsync(SimpleTable);
        using var replica = new TempDirectory("replica");
        var e = await Assert.ThrowsAsync<SharingHttpException>(() => ReplicationTests.SyncAsync(sharing, "no_such_table", replica.Path));
        Assert.Equal(404, e.StatusCode);
        Assert.Empty(Directory.GetFileSystemEntries(replica.Path));
    }

    [Fact]
    public async Task Server_errors_on_every_kind_of_call_are_retried_until_success()
    {
        await using var sharing = await SharingFixture.StartAsync(SimpleTable);
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.Version, Status = 500, Times = 1 });
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.Query, Status = 500, Times = 2 });
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.Query, Status = 429, Times = 1 });
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, Status = 503, Times = 2 });
        using var replica = new TempDirectory("replica");

        var report = await ReplicationTests.SyncAsync(sharing, "simple", replica.Path);

        Assert.True(report.Reached);
        // The failed and the retried version call, plus the start-point probe of a new replica.
        Assert.Equal(3, sharing.Host.Faults.RequestCount(RequestKind.Version));
        Assert.True(sharing.Host.Faults.RequestCount(RequestKind.Query) >= 4);
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table("simple_table"), replica.Path, "share.default.simple");
    }

    [Fact]
    public async Task A_body_cut_off_mid_file_is_retried_and_the_short_copy_never_lands()
    {
        await using var sharing = await SharingFixture.StartAsync(SimpleTable);
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, TruncateAfterBytes = 100, Times = 3 });
        using var replica = new TempDirectory("replica");

        var report = await ReplicationTests.SyncAsync(sharing, "simple", replica.Path);

        Assert.True(report.Reached);
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table("simple_table"), replica.Path, "share.default.simple");
    }

    [Fact]
    public async Task A_file_that_is_always_cut_off_fails_the_run_before_its_commit()
    {
        await using var sharing = await SharingFixture.StartAsync(SimpleTable);
        // Cut before any byte: a cut after some bytes would be resumed from there and eventually complete.
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, TruncateAfterBytes = 0 });
        using var replica = new TempDirectory("replica");

        await Assert.ThrowsAnyAsync<Exception>(() => ReplicationTests.SyncAsync(sharing, "simple", replica.Path));

        Assert.Null(await new DeltaLog(new LocalObjectStore(replica.Path)).LatestVersionAsync(default));
        var providerHashes = Directory.GetFiles(TestPaths.Table("simple_table"), "*.parquet").Select(ProviderTableBuilder.Hash).ToHashSet();
        Assert.All(Directory.GetFiles(replica.Path, "*", SearchOption.AllDirectories), f =>
            Assert.Contains(ProviderTableBuilder.Hash(f), providerHashes));
    }
}
