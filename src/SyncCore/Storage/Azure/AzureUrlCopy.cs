using System.Net;
using Azure;
using Azure.Storage.Blobs.Models;
using ReplicaSync.Sharing;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// Server-side copy: Azure fetches the source URL itself (Put Block From URL in ranges, a few in parallel), the staged
/// sizes are checked against the size announced, then Put Block List publishes them. Throws
/// <see cref="NotSupportedException"/> when the service lacks the operation (Azurite answers 501, asked once) or cannot
/// read the source, so callers stream instead.
/// </summary>
internal sealed class AzureUrlCopy(AzureBlocks blocks, AzureStoreOptions options)
{
    private volatile bool _unsupported;

    public async Task<long> CopyAsync(string key, Uri source, long size, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (_unsupported)
            throw new NotSupportedException($"{options.ServiceUrl} does not implement Put Block From URL");
        if (!source.IsAbsoluteUri || (source.Scheme != Uri.UriSchemeHttps && source.Scheme != Uri.UriSchemeHttp))
            throw new NotSupportedException($"Azure can copy only from http(s) URLs, not {UrlRedactor.Redact(source)}");
        if (size == 0)
        {
            await blocks.PutBlobAsync(key, ReadOnlyMemory<byte>.Empty, ct);
            return 0;
        }
        var blockSize = Math.Max(options.CopyBlockSize, (size + AzureStoreOptions.MaxBlocks - 1) / AzureStoreOptions.MaxBlocks);
        var count = (int)((size + blockSize - 1) / blockSize);
        var ids = BlockIds.ForNewWrite(count);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelBlocks, CancellationToken = ct },
            async (i, token) => await StageAsync(key, ids[i], source, i * blockSize, Math.Min(blockSize, size - i * blockSize), token));
        var staged = await blocks.Calls.RunAsync("Get Block List", key, ct, async () =>
        {
            BlockList list = await blocks.Blob(key).GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: ct);
            return list.UncommittedBlocks.ToDictionary(b => b.Name, b => b.SizeLong, StringComparer.Ordinal);
        });
        var total = ids.Sum(id => staged.GetValueOrDefault(id, -1));
        if (ids.Any(id => !staged.ContainsKey(id)) || total != size)
            throw new IOException($"Azure Put Block From URL of {blocks.Calls.BlobName(key)} staged {total} bytes, but the source should have {size}");
        await blocks.PutBlockListAsync(key, ids, ct);
        return size;
    }

    private Task StageAsync(string key, string blockId, Uri source, long offset, long length, CancellationToken ct) =>
        blocks.Calls.RunAsync("Put Block From URL", key, ct, async () =>
        {
            try
            {
                var range = new StageBlockFromUriOptions { SourceRange = new HttpRange(offset, length) };
                await blocks.Blob(key).StageBlockFromUriAsync(source, blockId, range, ct);
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotImplemented)
            {
                // Azurite 3.35.0 has no Put Block From URL (APINotImplemented); ask once, then let callers stream.
                _unsupported = true;
                throw new NotSupportedException($"{options.ServiceUrl} does not implement Put Block From URL");
            }
            catch (RequestFailedException e) when (SourceStatus(e) is { } status)
            {
                // Azure could not read the source (expired, unreachable from Azure, refused): streaming may still work.
                throw new NotSupportedException($"Azure could not read {UrlRedactor.Redact(source)} for {blocks.Calls.BlobName(key)} (source status {status}, {e.ErrorCode})");
            }
        });

    /// <summary>The status Azure got from a copy source it could not read, or null when the failure was not about the source.</summary>
    private static string? SourceStatus(RequestFailedException e)
    {
        if (e.GetRawResponse() is { } response && response.Headers.TryGetValue("x-ms-copy-source-status-code", out var status))
            return status;
        return e.ErrorCode == "CannotVerifyCopySource" ? "?" : null;
    }
}
