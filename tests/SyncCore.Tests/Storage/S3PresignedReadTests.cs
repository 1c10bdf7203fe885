using ReplicaSync.Storage;
using ReplicaSync.Storage.S3;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// Presigned GETs from the S3 store, fetched from moto by a client with no credentials. moto verifies no SigV4
/// signatures (reference/emulators.md), so what is proven here is the URL's target and form, not that AWS would
/// refuse a tampered one.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class S3PresignedReadTests(MotoServer moto)
{
    [Fact]
    public async Task A_presigned_url_gets_the_objects_bytes_from_the_store_without_credentials()
    {
        using var store = new S3ObjectStore(S3TestStores.Options(moto, await moto.CreateBucketAsync(), "tables/t1"));
        var bytes = new byte[70_000];
        Random.Shared.NextBytes(bytes);
        await store.WriteAsync("x=a b/part-0.parquet", new MemoryStream(bytes), default);
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);

        var sign = await ((IPresignedReads)store).ReadUrlSignerAsync(expires, default);
        var url = sign("x=a b/part-0.parquet");

        Assert.Equal(new Uri(moto.Endpoint).Authority, url.Authority);
        Assert.Contains("/tables/t1/x%3Da%20b/part-0.parquet", url.AbsolutePath.Replace("=", "%3D", StringComparison.Ordinal));
        Assert.Contains("X-Amz-Signature=", url.Query);
        Assert.Contains("X-Amz-Expires=", url.Query);
        Assert.DoesNotContain(MotoServer.SecretKey, url.AbsoluteUri);
        using var anonymous = new HttpClient();
        Assert.Equal(bytes, await anonymous.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task Keys_that_would_leave_the_prefix_are_refused_before_signing()
    {
        using var store = new S3ObjectStore(S3TestStores.Options(moto, "any-bucket", "tables/t1"));
        var sign = await store.ReadUrlSignerAsync(DateTimeOffset.UtcNow.AddMinutes(10), default);
        Assert.Throws<ArgumentException>(() => sign("../t2/secret.parquet"));
        Assert.Throws<ArgumentException>(() => sign("/abs"));
    }
}
