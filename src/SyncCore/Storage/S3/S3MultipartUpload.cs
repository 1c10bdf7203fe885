using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ReplicaSync.Storage.S3;

/// <summary>
/// One multipart upload fed from a non-seekable stream by a <see cref="PartFeeder"/> (pooled buffers, at most
/// <see cref="S3StoreOptions.MaxParallelParts"/> parts in flight). Any failure or cancellation aborts the upload, so
/// no object (and no billed orphan parts) remain.
/// </summary>
internal sealed class S3MultipartUpload(IAmazonS3 client, S3StoreOptions options, string key, PartFeeder feeder, Func<Exception, S3StoreException> fail)
{
    /// <summary>Uploads <paramref name="head"/> (a full threshold-sized buffer, returned to the pool here) and the rest of <paramref name="rest"/>.</summary>
    public async Task<long> RunAsync(byte[] head, Stream rest, CancellationToken ct)
    {
        string uploadId;
        try
        {
            var created = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = options.Bucket, Key = key }, ct);
            uploadId = created.UploadId;
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            feeder.Return(head);
            throw fail(e);
        }

        try
        {
            var (uploaded, total) = await feeder.RunAsync(head, rest,
                (index, buffer, length, token) => UploadPartAsync(client, options.Bucket, key, uploadId, index, buffer, length, token), ct);
            var complete = new CompleteMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = uploadId };
            complete.AddPartETags(uploaded);
            await client.CompleteMultipartUploadAsync(complete, ct);
            return total;
        }
        catch (Exception e)
        {
            await AbortAsync(client, options.Bucket, key, uploadId);
            if (e is AmazonServiceException or AmazonClientException)
                throw fail(e);
            throw;
        }
    }

    /// <summary>Uploads part <paramref name="index"/> (S3 part index+1) from the first <paramref name="length"/> bytes of <paramref name="buffer"/>.</summary>
    internal static Task<UploadPartResponse> UploadPartAsync(IAmazonS3 client, string bucket, string key, string uploadId, int index, byte[] buffer, int length, CancellationToken ct) =>
        client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = key, UploadId = uploadId, PartNumber = index + 1,
            InputStream = new MemoryStream(buffer, 0, length, writable: false), PartSize = length,
            // Emulators store aws-chunked framing as object data; a plain body works everywhere.
            UseChunkEncoding = false,
        }, ct);

    /// <summary>Aborts an upload, best effort, under its own timeout: a cancelled or abandoned write must still clean up its parts.</summary>
    internal static async Task AbortAsync(IAmazonS3 client, string bucket, string key, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or OperationCanceledException)
        {
            // Best effort: a bucket lifecycle rule for incomplete uploads is the backstop for an abort that fails.
        }
    }
}
