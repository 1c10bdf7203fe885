using ReplicaSync.Delta;
using ReplicaSync.SharingServer;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.Sync.Copy;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// Replication over paged queries (maxFiles/nextPageToken) against the SharingServer: a snapshot bootstrap streamed
/// page by page, the change feed and the change data feed in pages, and URL refresh across pages.
/// </summary>
public class PagedReplicationTests
{
    private static readonly SyncOptions Fast = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task A_snapshot_bootstrap_reads_every_page_and_checkpoints_every_file_with_its_checksum()
    {
        using var provider = new TempDirectory("provider");
        var table = await CopyFaultTests.BuildAsync(provider.Path, versions: 6, filesPerVersion: 8, (100, 900));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        using var replica = new TempDirectory("replica");

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { From = StartPoint.Latest, PageSize = 3 });

        Assert.Equal("snapshot at version 5", report.Began);
        Assert.Equal(40, Assert.Single(report.Versions).FilesCopied);
        // 40 files in pages of 3: 14 query requests, the metaData line's counts announce the cost (no counting pass).
        Assert.Equal(14, sharing.Host.Faults.RequestCount(RequestKind.Query));
        await CopyFaultTests.AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
        var store = new LocalObjectStore(replica.Path);
        var adds = await new DeltaLog(store).ScanLiveAddsAsync((await LogSegment.BuildAsync(store, null, default))!, default).ToListAsync();
        Assert.Equal(table.LiveFiles.Select(f => f.Size).Order(), adds.Select(a => a.Size).Order());
        Assert.All(adds, add => Assert.Equal(
            Integrity.Crc32C.Format(Integrity.Crc32C.Compute(File.ReadAllBytes(Path.Combine(replica.Path, Uri.UnescapeDataString(add.Path))))),
            add.Tags![CopyEngine.ChecksumTag]));

        // Later versions come through the change feed, in pages as well.
        await table.AppendAsync("p0", "p1", "p2", "p0", "p1");
        await table.DeleteAsync(2);
        var next = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { PageSize = 2 });
        Assert.Equal([6L, 7L], next.Versions.Select(v => v.Version));
        await CopyFaultTests.AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
    }

    [Fact]
    public async Task A_change_feed_of_larger_versions_is_read_in_narrower_windows_and_the_replica_is_whole()
    {
        using var provider = new TempDirectory("provider");
        await CopyFaultTests.BuildAsync(provider.Path, versions: 20, filesPerVersion: 4, (100, 900));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        using var replica = new TempDirectory("replica");

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { From = StartPoint.FullHistory, FilesPerRequest = 8, PageSize = 1000 });

        Assert.Equal(Enumerable.Range(0, 20).Select(v => (long)v), report.Versions.Select(v => v.Version));
        // Versions 0..7 first (28 lines: 3.5 per version), then two versions of 4 files at a time to hold 8 lines:
        // 1 + 6 windows, one page each, where a fixed window of up to 100 versions would have asked once.
        Assert.Equal(7, sharing.Host.Faults.RequestCount(RequestKind.Query));
        await CopyFaultTests.AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
    }

    [Theory]
    [InlineData(true)]  // change feed pages: the same startingVersion query is re-issued
    [InlineData(false)] // latest-snapshot bootstrap pages: re-issued with the refresh token, then page tokens
    public async Task Urls_expiring_mid_run_are_reissued_across_pages_and_no_file_is_copied_twice(bool historyShared)
    {
        using var provider = new TempDirectory("provider");
        var table = await CopyFaultTests.BuildAsync(provider.Path, versions: 6, filesPerVersion: 8, (1000, 4000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path }, historyShared, urlLifetimeSeconds: 2);
        // 40 files, two at a time, each held 600 ms by the server: the copy outlives the first URLs by far, and a file
        // waits behind at least the four the copy queue holds (1.2 s), past its URL's refresh margin (1 s of 2 s).
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, DelayMilliseconds = 600 });
        using var replica = new TempDirectory("replica");
        var observer = new CopyFaultTests.RecordingObserver();

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { MaxConcurrentFiles = 2, PageSize = 3, Observer = observer });

        Assert.True(report.Reached);
        Assert.Equal(historyShared ? "full history from version 0" : "snapshot at version 5", report.Began);
        Assert.True(observer.Refreshed > 0, "no URL was re-issued");
        await CopyFaultTests.AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
        CopyFaultTests.AssertEachLiveFileServedOnce(table, sharing);
    }

    [Fact]
    public async Task The_change_data_feed_is_read_in_pages_and_mirrored_version_by_version()
    {
        var provider = TestPaths.Table("cdf-table");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["cdf"] = provider });
        using var replica = new TempDirectory("replica");

        var report = await ReplicationTests.SyncAsync(sharing, "cdf", replica.Path, Fast with { From = StartPoint.FullHistory, PageSize = 2 });

        Assert.Equal([0, 6, 6, 1], report.Versions.Select(v => v.ChangeFiles));
        // One span, versions 0..3 (change data recorded from the start): 10 adds and 13 change data files, 12 pages of 2.
        Assert.Equal(12, sharing.Host.Faults.RequestCount(RequestKind.Changes));
        await ReplicaComparer.AssertAlignedAsync(provider, replica.Path, "share.default.cdf");
        Assert.Equal([1L, 2L, 3L], await ChangeDataComparer.AssertSameChangeFilesAsync(provider, replica.Path, 0, 3));
    }
}
