using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// The block-blob requests the writers share (whole writes, staged writes, multipart writes, server-side copies):
/// Put Blob, Put Block and Put Block List, each through <see cref="AzureCalls"/>.
/// </summary>
internal sealed class AzureBlocks(BlobContainerClient container, AzureCalls calls)
{
    public AzureCalls Calls => calls;

    public BlockBlobClient Blob(string key) => container.GetBlockBlobClient(key);

    /// <summary>Put Block from a buffer the caller keeps until this completes; the SDK retries this block only.</summary>
    public Task PutBlockAsync(string key, string blockId, ReadOnlyMemory<byte> body, CancellationToken ct) =>
        calls.RunAsync("Put Block", key, ct, () => Blob(key).StageBlockAsync(blockId, BinaryData.FromBytes(body).ToStream(), cancellationToken: ct));

    /// <summary>Put Block streaming exactly <paramref name="length"/> bytes of a caller's stream (not retried: the stream is consumed).</summary>
    public Task PutBlockAsync(string key, string blockId, Stream content, long length, CancellationToken ct) =>
        calls.RunAsync("Put Block", key, ct, async () =>
        {
            using var scope = AzureRetryPolicy.Scope(AzureRetry.Never);
            await using var body = new OneShotBody(content, length);
            await Blob(key).StageBlockAsync(blockId, body, cancellationToken: ct);
        });

    /// <summary>
    /// Commits the blocks, in order, as the blob's content (replacing any previous blob). Committing the same list twice
    /// gives the same blob, so the SDK may retry it after an ambiguous failure.
    /// </summary>
    public Task PutBlockListAsync(string key, IReadOnlyList<string> blockIds, CancellationToken ct) =>
        calls.RunAsync("Put Block List", key, ct, () => Blob(key).CommitBlockListAsync(blockIds, cancellationToken: ct));

    /// <summary>One Put Blob of the whole object, replacing any previous blob.</summary>
    public Task PutBlobAsync(string key, ReadOnlyMemory<byte> body, CancellationToken ct) =>
        calls.RunAsync("Put Blob", key, ct, () => Blob(key).UploadAsync(BinaryData.FromBytes(body).ToStream(), new BlobUploadOptions(), ct));
}
