using ReplicaSync.Sharing;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>The engine replicating over OAuth tokens issued by the real SharingServer's token endpoint.</summary>
public class OAuthReplicationTests
{
    [Fact]
    public async Task A_run_whose_token_expires_midway_renews_it_and_finishes_aligned()
    {
        await using var sharing = await OAuthSharing.StartAsync();
        using var replica = new TempDirectory("oauth-replica");
        // The server forgets every token it issued once the replica's first commit is written; the next request gets a 401.
        var store = new ExpiringAfterFirstCommit(new LocalObjectStore(replica.Path), sharing.Host.IssuedTokens);
        using var client = new SharingClient(SharingProfile.Load(sharing.ProfilePath), options: new SharingClientOptions { BaseDelay = TimeSpan.FromMilliseconds(10) });
        using var http = FileHttp.CreateClient();
        // One version per query and one planned ahead: the query for version 3 can only start after commit 0 is written.
        var engine = new SyncEngine(client, store, http,
            new SyncOptions { VersionsPerRequest = 1, VersionsAhead = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
        var address = sharing.Address("sales", "default", "simple_table");

        var report = await engine.RunAsync(address, null, null, default);

        Assert.True(report.Reached);
        Assert.True(store.Expired);
        Assert.Equal(2, sharing.Host.IssuedTokens.IssuedCount);
        Assert.Equal(await OAuthSharing.LatestVersionAsync("simple_table") + 1, report.Versions.Count);
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table("simple_table"), replica.Path, address.QualifiedName);
    }

    private sealed class ExpiringAfterFirstCommit(LocalObjectStore inner, SharingServer.IssuedTokens tokens) : ForwardingStore(inner)
    {
        public bool Expired { get; private set; }

        public override async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
        {
            var written = await Inner.PutIfAbsentAsync(path, content, ct);
            if (!Expired && path.StartsWith("_delta_log/", StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal))
            {
                tokens.ExpireAll();
                Expired = true;
            }
            return written;
        }
    }
}
