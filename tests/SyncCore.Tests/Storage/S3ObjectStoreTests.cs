using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ReplicaSync.Storage.S3;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Tests.Storage;

/// <summary>What only the S3 backend has: multipart uploads, their cleanup, and error messages without secrets.</summary>
[Collection(MotoCollection.Name)]
public sealed class S3ObjectStoreTests(MotoServer moto, ITestOutputHelper output)
{
    private const string SessionToken = "session-token-must-never-leak";
    private string _bucket = "";

    [Fact]
    public async Task Large_writes_go_up_as_parallel_parts_and_small_ones_as_one_put()
    {
        var (store, traffic) = await RecordedStoreAsync();
        using (store)
        {
            const int size = (40 << 20) + 123;
            using var source = new GeneratedStream(size);
            var clock = Stopwatch.StartNew();
            Assert.Equal(size, await store.WriteAsync("big.bin", source, default));
            output.WriteLine($"40 MiB multipart write to moto: {clock.ElapsedMilliseconds} ms, {traffic.Parts} parts, at most {traffic.MaxPartsInFlight} in flight");
            // 16 MiB head, then 8 MiB parts: 16 + 8 + 8 + 8 + the last 123 bytes.
            Assert.Equal((5, 0), (traffic.Parts, traffic.SinglePuts));
            Assert.InRange(traffic.MaxPartsInFlight, 2, 4);
            await using var back = await store.OpenReadAsync("big.bin", null, default);
            Assert.Equal(source.Hash, Convert.ToHexString(await SHA256.HashDataAsync(back)));

            await store.WriteAsync("small.bin", new GeneratedStream(1 << 20), default);
            Assert.Equal((5, 1), (traffic.Parts, traffic.SinglePuts));
        }
    }

    [Fact]
    public async Task A_failed_multipart_write_is_aborted_and_leaves_no_parts_behind()
    {
        var (store, traffic) = await RecordedStoreAsync();
        using (store)
        {
            await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("big.bin", new GeneratedStream(40 << 20, failAfter: 30 << 20), default));
            Assert.Equal(1, traffic.Aborts);
        }
        using var client = moto.CreateClient();
        var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket });
        Assert.Empty(uploads.MultipartUploads ?? []);
    }

    [Fact]
    public async Task Parts_written_out_of_order_complete_one_object_and_an_abandoned_write_is_aborted()
    {
        var (store, _) = await RecordedStoreAsync();
        using (store)
        {
            var data = RandomNumberGenerator.GetBytes((11 << 20) + 17);
            const int part = 5 << 20;
            await using (var write = await store.BeginAsync("parts.bin", data.Length, default))
            {
                await Task.WhenAll(new[] { 2, 0, 1 }.Select(i =>
                {
                    var offset = i * part;
                    var length = Math.Min(part, data.Length - offset);
                    return write.WritePartAsync(i, offset, length, new MemoryStream(data, offset, length), default);
                }));
                Assert.Null(await store.StatAsync("parts.bin", default));
                await write.CompleteAsync(default);
            }
            await using (var back = await store.OpenReadAsync("parts.bin", null, default))
                Assert.Equal(SHA256.HashData(data), await SHA256.HashDataAsync(back));

            await using (var abandoned = await store.BeginAsync("abandoned.bin", data.Length, default))
                await abandoned.WritePartAsync(0, 0, part, new MemoryStream(data, 0, part), default);
            Assert.Null(await store.StatAsync("abandoned.bin", default));
        }
        using var client = moto.CreateClient();
        var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket });
        Assert.Empty(uploads.MultipartUploads ?? []);
    }

    [Fact]
    public async Task A_missing_bucket_is_reported_with_bucket_and_operation_but_no_secret()
    {
        var options = S3TestStores.Options(moto, "no-such-bucket-here", "p") with
        {
            Credentials = new SessionAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey, SessionToken),
        };
        using var store = new S3ObjectStore(options);
        var put = await Assert.ThrowsAsync<S3StoreException>(() => store.WriteAsync("a.json", new MemoryStream([1]), default));
        AssertClear(put, "PutObject of s3://no-such-bucket-here/p/a.json", "NoSuchBucket");
        var conditional = await Assert.ThrowsAsync<S3StoreException>(() => store.PutIfAbsentAsync("a.json", new byte[] { 1 }, default));
        AssertClear(conditional, "conditional PutObject of s3://no-such-bucket-here/p/a.json", "NoSuchBucket");
        var list = await Assert.ThrowsAsync<S3StoreException>(async () => { await foreach (var _ in store.ListAsync("", default)) { } });
        AssertClear(list, "ListObjectsV2 of s3://no-such-bucket-here/p/", "NoSuchBucket");
    }

    [Fact]
    public void An_access_denied_error_names_bucket_and_operation_and_masks_secrets()
    {
        var sdkError = new AmazonS3Exception(
            $"Access Denied for token {SessionToken}; see https://b.s3/k?X-Amz-Signature=abc123&X-Amz-Security-Token=tok%2F1 key {MotoServer.SecretKey}",
            ErrorType.Sender, "AccessDenied", "REQ1", HttpStatusCode.Forbidden);
        var error = S3Errors.Wrap(sdkError, "GetObject", "bucket-x", "t/k.parquet", [MotoServer.SecretKey, SessionToken]);
        AssertClear(error, "GetObject of s3://bucket-x/t/k.parquet", "AccessDenied");
        Assert.Contains("lack permission", error.Message);
        Assert.DoesNotContain("abc123", error.Message);
        Assert.DoesNotContain("tok%2F1", error.Message);
        Assert.Null(error.InnerException);
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (error.Status!.Value, error.ErrorCode));
    }

    [Theory]
    [InlineData("sig Signature=AbC&x=1", "sig Signature=***&x=1")]
    [InlineData("x-amz-security-token=Zm9v bar", "x-amz-security-token=*** bar")]
    [InlineData("the key is s3cr3t-value here", "the key is *** here")]
    [InlineData("nothing to hide", "nothing to hide")]
    public void Redaction_masks_known_secrets_and_signed_url_parameters(string text, string expected) =>
        Assert.Equal(expected, S3Errors.Redact(text, ["s3cr3t-value"]));

    private async Task<(S3ObjectStore Store, S3TrafficRecorder Traffic)> RecordedStoreAsync()
    {
        _bucket = await moto.CreateBucketAsync();
        var traffic = new S3TrafficRecorder();
        var config = moto.ClientConfig();
        config.HttpClientFactory = traffic;
        var client = new AmazonS3Client(new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey), config);
        return (new S3ObjectStore(client, S3TestStores.Options(moto, _bucket)), traffic);
    }

    private static void AssertClear(S3StoreException error, string names, string code)
    {
        Assert.Contains(names, error.Message);
        Assert.Contains(code, error.Message);
        Assert.DoesNotContain(MotoServer.SecretKey, error.ToString());
        Assert.DoesNotContain(SessionToken, error.ToString());
    }
}
