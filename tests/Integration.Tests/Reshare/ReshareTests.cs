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
        using var replicaA = new TempDirectory("replica-a");
        await ReshareHop.AssertChainAlignedAsync(replicaA.Path, path => new LocalObjectStore(path),
            url => Assert.Contains("/delta-sharing/files/replicas/eu/orders/", url.AbsolutePath), storeServesFiles: false);
    }

    [Fact]
    public async Task A_replica_on_s3_re_shared_announces_s3_presigned_urls_and_syncs_into_a_second_replica_aligned_with_the_provider()
    {
        var bucket = await moto.CreateBucketAsync();
        await ReshareHop.AssertChainAlignedAsync($"s3://{bucket}/replicas/orders", OpenOnMoto, url =>
        {
            Assert.Equal(new Uri(moto.Endpoint).Authority, url.Authority);
            Assert.StartsWith($"/{bucket}/replicas/orders/", url.AbsolutePath);
            Assert.Contains("X-Amz-Signature=", url.Query);
        }, storeServesFiles: true);
    }

    private S3ObjectStore OpenOnMoto(string address) => new(S3Address.Parse(address, name => name == S3Address.EndpointVariable ? moto.Endpoint : null) with
    {
        Credentials = new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey),
    });
}
