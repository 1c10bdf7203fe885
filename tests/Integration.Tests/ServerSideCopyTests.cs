using ReplicaSync.SharingServer;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>A target that can fetch URLs itself gets them handed over; one that refuses falls back to streaming.</summary>
public class ServerSideCopyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_server_side_copy_target_fetches_the_urls_itself_or_the_copy_falls_back_to_streaming(bool supported)
    {
        using var provider = new TempDirectory("provider");
        await CopyFaultTests.BuildAsync(provider.Path, versions: 3, filesPerVersion: 2, (1000, 3000));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        using var replica = new TempDirectory("replica");
        var store = new FetchingStore(new LocalObjectStore(replica.Path), supported);
        using var client = sharing.Client();
        using var http = FileHttp.CreateClient();

        var report = await new SyncEngine(client, store, http).RunAsync(sharing.Address("t"), null, null, default);

        Assert.True(report.Reached);
        Assert.Equal(4, store.Calls);
        Assert.Equal(supported ? 4 : 0, store.Fetched);
        await CopyFaultTests.AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
        Assert.Equal(4, sharing.Host.Faults.FilesServed.Count);
    }

    /// <summary>Stands in for a store service that copies from a URL (Azure Put Block From URL).</summary>
    private sealed class FetchingStore(LocalObjectStore inner, bool supported) : ForwardingStore(inner), IServerSideCopy
    {
        private int _calls, _fetched;
        public int Calls => _calls;
        public int Fetched => _fetched;

        public async Task<long> CopyFromUrlAsync(string path, Uri source, long size, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            if (!supported)
                throw new NotSupportedException("this source is not reachable from the store service");
            using var http = new HttpClient();
            await using var body = await http.GetStreamAsync(source, ct);
            Interlocked.Increment(ref _fetched);
            return await Inner.WriteAsync(path, body, ct);
        }

    }
}
