using System.Buffers;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ReplicaSync.Storage.S3;

/// <summary>
/// One multipart upload fed from a non-seekable stream: parts are read into pooled buffers and uploaded at most
/// <see cref="S3StoreOptions.MaxParallelParts"/> at a time, so memory stays bounded whatever the object size. Any
/// failure or cancellation aborts the upload, so no object (and no billed orphan parts) remain.
/// </summary>
internal sealed class S3MultipartUpload(IAmazonS3 client, S3StoreOptions options, string key, ArrayPool<byte> buffers, Func<Exception, S3StoreException> fail)
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
            buffers.Return(head);
            throw fail(e);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var slots = new SemaphoreSlim(options.MaxParallelParts);
        var parts = new List<Task<UploadPartResponse>>();
        try
        {
            long total = options.MultipartThreshold;
            await slots.WaitAsync(cts.Token);
            parts.Add(UploadAsync(uploadId, 1, head, options.MultipartThreshold, slots, cts.Token));
            while (true)
            {
                // Wait for a free slot before reading, so at most MaxParallelParts buffers are filled and unsent.
                await slots.WaitAsync(cts.Token);
                FailFast(parts);
                var buffer = buffers.Rent(options.PartSize);
                int filled;
                try
                {
                    filled = await rest.ReadAtLeastAsync(buffer.AsMemory(0, options.PartSize), options.PartSize, throwOnEndOfStream: false, cts.Token);
                }
                catch
                {
                    buffers.Return(buffer);
                    slots.Release();
                    throw;
                }
                if (filled == 0)
                {
                    buffers.Return(buffer);
                    slots.Release();
                    break;
                }
                total += filled;
                parts.Add(UploadAsync(uploadId, parts.Count + 1, buffer, filled, slots, cts.Token));
                if (filled < options.PartSize)
                    break;
            }
            var uploaded = await Task.WhenAll(parts);
            var complete = new CompleteMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = uploadId };
            complete.AddPartETags(uploaded);
            await client.CompleteMultipartUploadAsync(complete, cts.Token);
            return total;
        }
        catch (Exception e)
        {
            await cts.CancelAsync();
            await DrainAsync(parts);
            await AbortAsync(uploadId);
            if (e is AmazonServiceException or AmazonClientException)
                throw fail(e);
            throw;
        }
    }

    private async Task<UploadPartResponse> UploadAsync(string uploadId, int number, byte[] buffer, int length, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            return await client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = options.Bucket, Key = key, UploadId = uploadId, PartNumber = number,
                InputStream = new MemoryStream(buffer, 0, length, writable: false), PartSize = length,
                UseChunkEncoding = false,
            }, ct);
        }
        finally
        {
            buffers.Return(buffer);
            slots.Release();
        }
    }

    /// <summary>Stops reading the source as soon as a part has failed, instead of after the whole stream.</summary>
    private static void FailFast(List<Task<UploadPartResponse>> parts)
    {
        foreach (var part in parts)
        {
            if (part.IsFaulted || part.IsCanceled)
                part.GetAwaiter().GetResult();
        }
    }

    private static async Task DrainAsync(List<Task<UploadPartResponse>> parts)
    {
        try { await Task.WhenAll(parts); }
        catch (Exception) { /* the first failure is already being reported; the others are its consequences */ }
    }

    private async Task AbortAsync(string uploadId)
    {
        try
        {
            // Not the caller's token: a cancelled write must still clean up its parts.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or OperationCanceledException)
        {
            // Best effort: a bucket lifecycle rule for incomplete uploads is the backstop for an abort that fails.
        }
    }
}
