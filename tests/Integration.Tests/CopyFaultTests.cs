using System.Collections.Concurrent;
using ReplicaSync.Delta;
using ReplicaSync.Integrity;
using ReplicaSync.SharingServer;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.Sync.Copy;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// The copy pipeline against a provider that misbehaves: URLs that expire mid-run, connections reset mid-file,
/// intermittent 500/429, bodies that end early. Every run must end with a valid replica whose commits reference
/// only complete files, and no file may be downloaded twice in full.
/// </summary>
public class CopyFaultTests
{
    private static readonly SyncOptions Fast = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(5), VersionsPerRequest = 100 };

    [Theory]
    [InlineData(true)]  // change feed: the same startingVersion query is re-issued
    [InlineData(false)] // latest-snapshot bootstrap: re-issued with the refresh token
    public async Task Urls_expiring_after_two_seconds_are_reissued_and_no_file_is_copied_twice(bool historyShared)
    {
        using var provider = new TempDirectory("provider");
        var table = await BuildAsync(provider.Path, versions: 6, filesPerVersion: 8, (1000, 4000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path }, historyShared, urlLifetimeSeconds: 2);
        // 40 files, two at a time, each held 200 ms by the server: the copy outlives the first URLs by far.
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, DelayMilliseconds = 200 });
        using var replica = new TempDirectory("replica");
        var observer = new RecordingObserver();

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { MaxConcurrentFiles = 2, Observer = observer });

        Assert.True(report.Reached);
        Assert.Equal(historyShared ? "full history from version 0" : "snapshot at version 5", report.Began);
        Assert.True(observer.Refreshed > 0, "no URL was re-issued");
        await AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
        AssertEachLiveFileServedOnce(table, sharing);
    }

    [Fact]
    public async Task A_url_refused_again_after_its_reissue_is_a_clear_error_without_secrets()
    {
        using var provider = new TempDirectory("provider");
        await BuildAsync(provider.Path, versions: 2, filesPerVersion: 1, (1000, 2000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, Status = 403 });
        using var replica = new TempDirectory("replica");
        var observer = new RecordingObserver();

        var e = await Assert.ThrowsAsync<SyncException>(() => ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { Observer = observer }));

        Assert.Contains("403 even after the URL was re-issued", e.Message);
        Assert.DoesNotContain("sig=", e.Message);
        Assert.Equal(1, observer.Refreshed);
        Assert.Equal(2, sharing.Host.Faults.RequestCount(RequestKind.File));
        // Version 0 (no files) committed; version 1, whose file never arrived, did not.
        Assert.Equal(0, await new DeltaLog(new LocalObjectStore(replica.Path)).LatestVersionAsync(default));
    }

    [Fact]
    public async Task A_connection_reset_mid_file_resumes_with_a_range_request()
    {
        using var provider = new TempDirectory("provider");
        var table = await BuildAsync(provider.Path, versions: 2, filesPerVersion: 3, (20_000, 40_000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, TruncateAfterBytes = 8_000, Times = 3 });
        using var replica = new TempDirectory("replica");
        var observer = new RecordingObserver();

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { StreamsPerFile = 1, Observer = observer });

        Assert.True(report.Reached);
        await AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
        Assert.Equal(["reset", "reset", "reset"], observer.Retries.ToArray());
        var served = sharing.Host.Faults.FilesServed.Values;
        // Resumed at the byte reached with a Range request. (A reset may discard bytes the client had not read
        // yet, so a resume can start at 0 and then needs no Range; not all three can.)
        Assert.True(served.Sum(s => s.RangedGets) >= 1);
    }

    [Fact]
    public async Task Intermittent_500_and_429_are_retried_until_the_replica_is_complete()
    {
        using var provider = new TempDirectory("provider");
        await BuildAsync(provider.Path, versions: 3, filesPerVersion: 5, (1000, 5000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, Status = 500, Every = 5 });
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, Status = 429, Every = 7 });
        using var replica = new TempDirectory("replica");
        var observer = new RecordingObserver();

        // About one request in three fails; enough retries that no file can plausibly fail them all.
        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { Observer = observer, MaxRetries = 12 });

        Assert.True(report.Reached);
        await AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
        Assert.Contains("500", observer.Retries);
        Assert.Contains("429", observer.Retries);
        Assert.Equal(10, sharing.Host.Faults.FilesServed.Count);
    }

    [Fact]
    public async Task A_body_that_ends_early_without_error_is_detected_and_resumed()
    {
        using var provider = new TempDirectory("provider");
        await BuildAsync(provider.Path, versions: 2, filesPerVersion: 4, (3000, 6000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, EndBodyAfterBytes = 1000, Every = 2 });
        using var replica = new TempDirectory("replica");
        var observer = new RecordingObserver();

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { StreamsPerFile = 1, Observer = observer });

        Assert.True(report.Reached);
        await AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
        Assert.Contains("short body", observer.Retries);
        Assert.True(sharing.Host.Faults.FilesServed.Values.Sum(s => s.RangedGets) > 0);
    }

    [Fact]
    public async Task A_response_that_does_not_start_within_the_idle_timeout_is_retried()
    {
        using var provider = new TempDirectory("provider");
        await BuildAsync(provider.Path, versions: 2, filesPerVersion: 2, (1000, 2000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        // Far apart on purpose: the stalled response waits 5 s, the client gives up after 0.2 s.
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, DelayMilliseconds = 5000, Times = 1 });
        using var replica = new TempDirectory("replica");
        var observer = new RecordingObserver();

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { ReadIdleTimeout = TimeSpan.FromMilliseconds(200), Observer = observer });

        Assert.True(report.Reached);
        Assert.Equal(["timeout"], observer.Retries.ToArray());
        await AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
    }

    [Fact]
    public async Task Large_files_are_read_as_parallel_ranges_and_their_adds_carry_the_crc32c()
    {
        using var provider = new TempDirectory("provider");
        var table = await BuildAsync(provider.Path, versions: 3, filesPerVersion: 2, (10_000, 30_000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        using var replica = new TempDirectory("replica");

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { PartSize = 4096, StreamsPerFile = 3 });

        Assert.True(report.Reached);
        await AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
        foreach (var file in table.LiveFiles)
        {
            var served = sharing.Host.Faults.FilesServed[Uri.UnescapeDataString(file.Path)];
            Assert.Equal((file.Size + 4095) / 4096, served.RangedGets);
            Assert.Equal(file.Size, served.BytesSent);
        }
        var adds = await LiveAddsAsync(replica.Path);
        Assert.Equal(4, adds.Count);
        AssertCrcTagged(replica.Path, adds);
    }

    [Fact]
    public async Task A_server_that_ignores_range_gets_each_large_file_streamed_from_one_get()
    {
        using var provider = new TempDirectory("provider");
        var table = await BuildAsync(provider.Path, versions: 3, filesPerVersion: 2, (10_000, 30_000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, IgnoreRange = true });
        using var replica = new TempDirectory("replica");

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, Fast with { PartSize = 4096, StreamsPerFile = 3 });

        Assert.True(report.Reached);
        await AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
        // The first range doubled as a probe: the whole file came back from it and was streamed, nothing was asked again.
        foreach (var file in table.LiveFiles)
            Assert.Equal(new FileRequests(1, 0, file.Size), sharing.Host.Faults.FilesServed[Uri.UnescapeDataString(file.Path)]);
        AssertCrcTagged(replica.Path, await LiveAddsAsync(replica.Path));
    }

    /// <summary>Every live file of the provider was fetched from the server exactly once, in full, and nothing else was.</summary>
    internal static void AssertEachLiveFileServedOnce(ProviderTableBuilder table, SharingFixture sharing)
    {
        var served = sharing.Host.Faults.FilesServed;
        Assert.Equal(table.LiveFiles.Count, served.Count);
        Assert.All(table.LiveFiles, f =>
        {
            var s = served[Uri.UnescapeDataString(f.Path)];
            Assert.Equal((1L, f.Size), (s.Gets, s.BytesSent));
        });
    }

    internal static async Task<ProviderTableBuilder> BuildAsync(string root, int versions, int filesPerVersion, (int Min, int Max) sizes)
    {
        var table = new ProviderTableBuilder(root) { FileSizes = sizes };
        await table.CreateAsync();
        for (var v = 1; v < versions; v++)
            await table.AppendAsync(Enumerable.Range(0, filesPerVersion).Select(i => (string?)$"p{i % 3}").ToArray());
        return table;
    }

    /// <summary>Aligned with the provider, and every file any commit of the replica references is there in full.</summary>
    internal static async Task AssertValidReplicaAsync(string provider, string replica, SharingFixture sharing)
    {
        await ReplicaComparer.AssertAlignedAsync(provider, replica, sharing.Address("t").QualifiedName);
        var store = new LocalObjectStore(replica);
        var log = new DeltaLog(store);
        foreach (var commit in await log.ListCommitsAsync(default))
        {
            foreach (var add in (await log.ReadCommitAsync(commit.Version, null, default)).Actions.OfType<AddFile>())
                Assert.Equal(add.Size, (await store.StatAsync(Uri.UnescapeDataString(add.Path), default))?.Size);
        }
        foreach (var live in (await log.LoadSnapshotAsync(null, default))!.Files.Values)
            Assert.Equal(live.Size, (await store.StatAsync(Uri.UnescapeDataString(live.Path), default))?.Size);
    }

    /// <summary>The full add action of every file live at the replica's latest version.</summary>
    private static async Task<List<AddFile>> LiveAddsAsync(string replica)
    {
        var store = new LocalObjectStore(replica);
        return await new DeltaLog(store).ScanLiveAddsAsync((await LogSegment.BuildAsync(store, null, default))!, default).ToListAsync();
    }

    /// <summary>Every add records the CRC-32C of its file's bytes in the replica.</summary>
    private static void AssertCrcTagged(string replica, IEnumerable<AddFile> adds) =>
        Assert.All(adds, add => Assert.Equal(
            Crc32C.Format(Crc32C.Compute(File.ReadAllBytes(Path.Combine(replica, Uri.UnescapeDataString(add.Path))))),
            add.Tags![CopyEngine.ChecksumTag]));

    internal sealed class RecordingObserver : ISyncObserver
    {
        private int _refreshed;
        public int Refreshed => Volatile.Read(ref _refreshed);
        public readonly ConcurrentQueue<string> Retries = new();
        public void Retried(string reason) => Retries.Enqueue(reason);
        public void UrlsRefreshed(int files) => Interlocked.Increment(ref _refreshed);
    }
}
