using Amazon.Runtime;
using ReplicaSync.Storage;
using ReplicaSync.Storage.S3;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Reshare;

/// <summary>
/// provider → replica A → re-shared by the SharingServer → replica B: B is version-aligned with the provider, for A on
/// local disk (this server's signed URLs) and for A on S3 (moto), where the announced URLs are S3's presigned ones
/// and the bytes come from moto, not through the server.
/// </summary>
[Collection(S3MotoCollection.Name)]
public sealed class ReshareTests(MotoServer moto)
{
    [Fact]
    public async Task A_replica_on_local_disk_re_shared_syncs_into_a_second_replica_aligned_with_the_provider()
    {
        using var provider = new TempDirectory("provider");
        using var replicaA = new TempDirectory("replica-a");
        using var replicaB = new TempDirectory("replica-b");
        var table = await ReshareHop.GrowProviderAsync(provider.Path);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["orders"] = provider.Path });
        Assert.True((await ReshareHop.SyncAsync(sharing.ProfilePath, "share.default.orders", new LocalObjectStore(replicaA.Path))).Reached);

        var (host, profile) = await ReshareHop.ServeAsync(replicaA.Path, sharing.Dir);
        await using (host)
        {
            var urls = await ReshareHop.AnnouncedUrlsAsync(host);
            Assert.All(urls, u => Assert.StartsWith(host.Endpoint.AbsoluteUri.TrimEnd('/') + "/files/replicas/eu/orders/", u.AbsoluteUri));
            var report = await ReshareHop.SyncAsync(profile, ReshareHop.Qualified, new LocalObjectStore(replicaB.Path));
            Assert.True(report.Reached);
            Assert.Equal(table.Version, report.ProviderVersion);
        }

        await ReplicaComparer.AssertAlignedAsync(provider.Path, replicaB.Path, TableAddressOf(profile).QualifiedName);
    }

    [Fact]
    public async Task A_replica_on_s3_re_shared_announces_s3_presigned_urls_and_syncs_into_a_second_replica_aligned_with_the_provider()
    {
        using var provider = new TempDirectory("provider");
        using var replicaB = new TempDirectory("replica-b");
        var table = await ReshareHop.GrowProviderAsync(provider.Path);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["orders"] = provider.Path });
        var address = $"s3://{await moto.CreateBucketAsync()}/replicas/orders";
        using (var replicaA = OpenOnMoto(address))
            Assert.True((await ReshareHop.SyncAsync(sharing.ProfilePath, "share.default.orders", replicaA)).Reached);

        var opened = new List<S3ObjectStore>();
        var (host, profile) = await ReshareHop.ServeAsync(address, sharing.Dir, a =>
        {
            opened.Add(OpenOnMoto(a));
            return opened[^1];
        });
        await using (host)
        {
            var urls = await ReshareHop.AnnouncedUrlsAsync(host);
            Assert.NotEmpty(urls);
            Assert.All(urls, u =>
            {
                Assert.Equal(new Uri(moto.Endpoint).Authority, u.Authority);
                Assert.StartsWith(new Uri(address.Replace("s3://", moto.Endpoint + "/", StringComparison.Ordinal)).AbsolutePath + "/", u.AbsolutePath);
                Assert.Contains("X-Amz-Signature=", u.Query);
            });
            var report = await ReshareHop.SyncAsync(profile, ReshareHop.Qualified, new LocalObjectStore(replicaB.Path));
            Assert.True(report.Reached);
            Assert.Equal(table.Version, report.ProviderVersion);
            // The data came from moto: the server's own file endpoint served nothing.
            Assert.Empty(host.Faults.FilesServed);
        }

        Assert.Equal(address, Assert.Single(opened).Location.TrimEnd('/'));
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replicaB.Path, TableAddressOf(profile).QualifiedName);
    }

    private S3ObjectStore OpenOnMoto(string address) => new(S3Address.Parse(address, name => name == S3Address.EndpointVariable ? moto.Endpoint : null) with
    {
        Credentials = new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey),
    });

    private static Sharing.TableAddress TableAddressOf(string profile) => Sharing.TableAddress.Parse($"{profile}#{ReshareHop.Qualified}");
}
