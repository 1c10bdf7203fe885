using System.Buffers;
using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ReplicaSync.Storage.S3;

/// <summary>
/// One S3 multipart upload whose parts the caller writes in any order and in parallel (part i is S3 part i+1).
/// Each part is read into a pooled buffer (S3 needs its length up front) and uploaded; writing a part again replaces
/// it. Completion lists the parts in order; disposal without completion aborts the upload, leaving no billed parts.
/// </summary>
internal sealed class S3MultipartWrite(IAmazonS3 client, S3StoreOptions options, string key, string uploadId, long size,
    Func<Exception, string, S3StoreException> fail) : IMultipartWrite
{
    private readonly ConcurrentDictionary<int, (long Length, PartETag Tag)> _parts = new();
    private bool _completed;

    public async Task WritePartAsync(int index, long offset, long length, Stream content, CancellationToken ct)
    {
        if (index < 0 || index >= S3StoreOptions.MaxParts || offset < 0 || length < 0 || offset + length > size)
            throw new ArgumentOutOfRangeException(nameof(index), $"part {index} [{offset}, {offset + length}) does not fit the object's {size} bytes");
        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, (int)length), (int)length, throwOnEndOfStream: false, ct);
            if (read < length)
                throw new IOException($"part {index} of s3://{options.Bucket}/{key} ended after {read} of its {length} bytes");
            var response = await S3MultipartUpload.UploadPartAsync(client, options.Bucket, key, uploadId, index, buffer, read, ct);
            _parts[index] = (read, new PartETag(index + 1, response.ETag));
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw fail(e, "UploadPart");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        var written = _parts.Values.Sum(p => p.Length);
        if (written != size)
            throw new IOException($"s3://{options.Bucket}/{key}: its parts hold {written} bytes, not the object's {size}");
        var request = new CompleteMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = uploadId };
        request.AddPartETags(_parts.OrderBy(p => p.Key).Select(p => p.Value.Tag));
        try
        {
            await client.CompleteMultipartUploadAsync(request, ct);
            _completed = true;
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw fail(e, "CompleteMultipartUpload");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
            await S3MultipartUpload.AbortAsync(client, options.Bucket, key, uploadId);
    }
}
