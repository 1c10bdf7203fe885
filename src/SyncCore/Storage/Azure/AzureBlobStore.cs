using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using ReplicaSync.Sharing;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// A container and key prefix on Azure Blob Storage (or ADLS Gen2 through its Blob endpoint), through the
/// Azure.Storage.Blobs SDK: it signs, retries (see <see cref="AzureRetryPolicy"/>), pages listings and parses answers.
/// Small writes are one Put Blob; large ones are staged as blocks (a few in parallel, pooled buffers, each block
/// retried on its own) and published atomically by Put Block List, so readers never see a partial object. The
/// staging is ours rather than the SDK's upload because the SDK names blocks by offset alone, so two writers of one
/// blob could commit each other's blocks; ours are unique per write (<see cref="BlockIds"/>). Put-if-absent is Put Blob
/// with <c>If-None-Match: *</c>. A failed or abandoned write leaves only uncommitted blocks, which are invisible,
/// discarded by the blob's next commit and garbage-collected by Azure after 7 days.
/// </summary>
public sealed class AzureBlobStore : IObjectStore, IServerSideCopy, IMultipartWrites
{
    /// <summary>The REST version every request pins (Azurite accepts it with --skipApiVersionCheck).</summary>
    public const string ApiVersion = "2024-11-04";

    private const int SmallObjectSize = 1 << 20;

    private readonly AzureStoreOptions _options;
    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly PartFeeder _blocks;
    private volatile bool _copyFromUrlUnsupported;

    public AzureBlobStore(AzureStoreOptions options) : this(options, transport: null)
    {
    }

    /// <summary>Sends through a client built elsewhere (tests record or fake its traffic); the caller owns it.</summary>
    internal AzureBlobStore(AzureStoreOptions options, HttpClient http) : this(options, new HttpClientTransport(http))
    {
    }

    private AzureBlobStore(AzureStoreOptions options, HttpPipelineTransport? transport)
    {
        options.Validate();
        _options = options;
        _prefix = options.Prefix;
        var client = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2024_11_04);
        client.Retry.MaxRetries = options.MaxAttempts - 1;
        client.Retry.Delay = options.RetryBaseDelay;
        client.Retry.Mode = global::Azure.Core.RetryMode.Exponential;
        client.RetryPolicy = new AzureRetryPolicy(client.Retry);
        if (transport is not null)
            client.Transport = transport;
        _container = options.Credential.CreateClient(new Uri(options.ServiceUrl), options.Account, client).GetBlobContainerClient(options.Container);
        _blocks = new PartFeeder(options.BlockSize, options.BlockSize, options.MaxParallelBlocks);
    }

    /// <summary>The prefix's URL (no query, so never a SAS).</summary>
    public string Location => _prefix.Length == 0 ? _container.Uri.AbsoluteUri : Blob(_prefix).Uri.AbsoluteUri;

    public long MinPartSize => 1;

    public int MaxParts => AzureStoreOptions.MaxBlocks;

    public Task<ObjectInfo?> StatAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        return CallAsync("Get Blob Properties", key, ct, async () =>
        {
            try
            {
                BlobProperties properties = await Blob(key).GetPropertiesAsync(cancellationToken: ct);
                // On an ADLS Gen2 (hierarchical namespace) account a directory is a blob marked hdi_isfolder: not an object.
                return IsFolder(properties.Metadata) ? null : new ObjectInfo(path, properties.ContentLength, properties.LastModified);
            }
            catch (RequestFailedException e) when (IsBlobNotFound(e))
            {
                return (ObjectInfo?)null;
            }
        });
    }

    public async Task<Stream> OpenReadAsync(string path, ByteRange? range, CancellationToken ct)
    {
        var key = Key(path);
        if (range is { Length: 0 })
            return await StatAsync(path, ct) is null ? throw new ObjectNotFoundException(path) : Stream.Null;
        return await CallAsync("Get Blob", key, ct, async () =>
        {
            try
            {
                var options = new BlobDownloadOptions { Range = range is { } r ? new global::Azure.HttpRange(r.Offset, r.Length) : default };
                // The SDK's stream resumes an interrupted body with a ranged read pinned to the blob's ETag.
                BlobDownloadStreamingResult result = await Blob(key).DownloadStreamingAsync(options, ct);
                return result.Content;
            }
            catch (RequestFailedException e) when (IsBlobNotFound(e))
            {
                throw new ObjectNotFoundException(path);
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // The blob exists but the range starts at or past its end: like a local file, that reads as empty.
                return Stream.Null;
            }
        });
    }

    public async Task<long> WriteAsync(string path, Stream content, CancellationToken ct)
    {
        var key = Key(path);
        // Most objects (commits, small data files) are tiny: read into a small buffer first, so a burst of small
        // writes does not pin a block-sized buffer each.
        var firstSize = Math.Min(SmallObjectSize, _options.BlockSize);
        var start = ArrayPool<byte>.Shared.Rent(firstSize);
        try
        {
            var filled = await content.ReadAtLeastAsync(start.AsMemory(0, firstSize), firstSize, throwOnEndOfStream: false, ct);
            if (filled < firstSize)
            {
                await PutBlobAsync(key, start.AsMemory(0, filled), ct);
                return filled;
            }
            return await WriteLargeAsync(key, start.AsMemory(0, filled), content, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(start);
        }
    }

    public Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var key = Key(path);
        return CallAsync("conditional Put Blob", key, ct, async () =>
        {
            // Retried only when Azure certainly did not apply it (throttled, busy, never sent): after an ambiguous
            // failure a retry could find our own blob and wrongly report that someone else won.
            using var scope = AzureRetryPolicy.Scope(AzureRetry.IfNotApplied);
            try
            {
                var conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
                await Blob(key).UploadAsync(BinaryData.FromBytes(content).ToStream(), new BlobUploadOptions { Conditions = conditions }, ct);
                return true;
            }
            // Azure answers 409 BlobAlreadyExists to If-None-Match: * on an existing blob (412 ConditionNotMet in some cases).
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.PreconditionFailed
                                                   || (e.Status == (int)HttpStatusCode.Conflict && e.ErrorCode == "BlobAlreadyExists"))
            {
                return false;
            }
        });
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct) => List(prefix, ct);

    public Task DeleteAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        // Not DeleteIfExists: it also swallows ContainerNotFound, a configuration error rather than a missing object.
        return CallAsync("Delete Blob", key, ct, async () =>
        {
            try
            {
                await Blob(key).DeleteAsync(cancellationToken: ct);
            }
            catch (RequestFailedException e) when (IsBlobNotFound(e))
            {
            }
            return true;
        });
    }

    /// <summary>
    /// Put Block From URL in <see cref="AzureStoreOptions.CopyBlockSize"/> ranges (a few in parallel), a check that the
    /// staged blocks add up to <paramref name="size"/>, then Put Block List. Throws <see cref="NotSupportedException"/>
    /// when the service lacks the operation (Azurite answers 501) or cannot read the source, so callers stream instead.
    /// </summary>
    public async Task<long> CopyFromUrlAsync(string path, Uri source, long size, CancellationToken ct)
    {
        var key = Key(path);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (_copyFromUrlUnsupported)
            throw new NotSupportedException($"{_options.ServiceUrl} does not implement Put Block From URL");
        if (!source.IsAbsoluteUri || (source.Scheme != Uri.UriSchemeHttps && source.Scheme != Uri.UriSchemeHttp))
            throw new NotSupportedException($"Azure can copy only from http(s) URLs, not {UrlRedactor.Redact(source)}");
        if (size == 0)
        {
            await PutBlobAsync(key, ReadOnlyMemory<byte>.Empty, ct);
            return 0;
        }
        var blockSize = Math.Max(_options.CopyBlockSize, (size + AzureStoreOptions.MaxBlocks - 1) / AzureStoreOptions.MaxBlocks);
        var count = (int)((size + blockSize - 1) / blockSize);
        var ids = BlockIds.ForNewWrite(count);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelBlocks, CancellationToken = ct },
            async (i, token) => await StageFromUrlAsync(key, ids[i], source, i * blockSize, Math.Min(blockSize, size - i * blockSize), token));
        var staged = await CallAsync("Get Block List", key, ct, async () =>
        {
            BlockList list = await Blob(key).GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: ct);
            return list.UncommittedBlocks.ToDictionary(b => b.Name, b => b.SizeLong, StringComparer.Ordinal);
        });
        var total = ids.Sum(id => staged.GetValueOrDefault(id, -1));
        if (ids.Any(id => !staged.ContainsKey(id)) || total != size)
            throw new IOException($"Azure Put Block From URL of {BlobName(key)} staged {total} bytes, but the source should have {size}");
        await PutBlockListAsync(key, ids, ct);
        return size;
    }

    public Task<IMultipartWrite> BeginAsync(string path, long size, CancellationToken ct)
    {
        var key = Key(path);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return Task.FromResult<IMultipartWrite>(new AzureMultipartWrite(this, key, size));
    }

    // ---- requests the block writers share ----

    /// <summary>Put Block from a buffer the caller keeps until this completes; the SDK retries this block only.</summary>
    internal Task PutBlockAsync(string key, string blockId, ReadOnlyMemory<byte> body, CancellationToken ct) =>
        CallAsync("Put Block", key, ct, async () =>
        {
            await Blob(key).StageBlockAsync(blockId, BinaryData.FromBytes(body).ToStream(), cancellationToken: ct);
            return true;
        });

    /// <summary>Put Block streaming exactly <paramref name="length"/> bytes of a caller's stream (not retried: the stream is consumed).</summary>
    internal Task PutBlockAsync(string key, string blockId, Stream content, long length, CancellationToken ct) =>
        CallAsync("Put Block", key, ct, async () =>
        {
            using var scope = AzureRetryPolicy.Scope(AzureRetry.Never);
            await using var body = new OneShotBody(content, length);
            await Blob(key).StageBlockAsync(blockId, body, cancellationToken: ct);
            return true;
        });

    /// <summary>Commits the blocks, in order, as the blob's content (replacing any previous blob). Committing the same
    /// list twice gives the same blob, so the SDK may retry it after an ambiguous failure.</summary>
    internal Task PutBlockListAsync(string key, IReadOnlyList<string> blockIds, CancellationToken ct) =>
        CallAsync("Put Block List", key, ct, async () =>
        {
            await Blob(key).CommitBlockListAsync(blockIds, cancellationToken: ct);
            return true;
        });

    internal Task PutBlobAsync(string key, ReadOnlyMemory<byte> body, CancellationToken ct) =>
        CallAsync("Put Blob", key, ct, async () =>
        {
            await Blob(key).UploadAsync(BinaryData.FromBytes(body).ToStream(), new BlobUploadOptions(), ct);
            return true;
        });

    internal string BlobName(string key) => $"{_options.Container}/{key}";

    // ---- internals ----

    private async IAsyncEnumerable<ObjectInfo> List(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var full = ObjectPath.Join(_prefix, prefix);
        var strip = _prefix.Length == 0 ? 0 : _prefix.Length + 1;
        var options = new GetBlobsOptions { Prefix = full, Traits = BlobTraits.Metadata };
        // Pages arrive in ascending key order, each fetched only when the previous one is consumed.
        var pages = _container.GetBlobsAsync(options, ct).AsPages(pageSizeHint: _options.ListPageSize).GetAsyncEnumerator(ct);
        await using (pages)
        {
            while (await CallAsync("List Blobs", full + "*", ct, async () => await pages.MoveNextAsync()))
            {
                foreach (var blob in pages.Current.Values)
                {
                    if (!IsFolder(blob.Metadata))
                        yield return new ObjectInfo(blob.Name[strip..], blob.Properties.ContentLength ?? 0, blob.Properties.LastModified ?? DateTimeOffset.UnixEpoch);
                }
            }
        }
    }

    /// <summary>
    /// Fills a block-sized head after <paramref name="start"/>; one Put Blob if the stream ends there, else staged
    /// blocks (each retried on its own from its buffer) committed by Put Block List. Azure has no way to drop staged
    /// blocks: after a failure they stay uncommitted and invisible until the blob's next commit discards them or Azure
    /// garbage-collects them (after 7 days).
    /// </summary>
    private async Task<long> WriteLargeAsync(string key, ReadOnlyMemory<byte> start, Stream content, CancellationToken ct)
    {
        var (head, filled) = await _blocks.FillHeadAsync(start, content, ct);
        if (filled < _blocks.HeadSize)
        {
            try
            {
                await PutBlobAsync(key, head.AsMemory(0, filled), ct);
                return filled;
            }
            finally
            {
                _blocks.Return(head);
            }
        }
        // The feeder owns the full head buffer from here and returns it to the pool.
        var writeId = BlockIds.NewWriteId();
        var (ids, total) = await _blocks.RunAsync(head, content, async (index, buffer, length, token) =>
            {
                var id = BlockIds.Id(writeId, index);
                await PutBlockAsync(key, id, buffer.AsMemory(0, length), token);
                return id;
            }, ct, AzureStoreOptions.MaxBlocks,
            () => new IOException($"{BlobName(key)} would need more than {AzureStoreOptions.MaxBlocks} blocks of {_options.BlockSize} bytes; raise the block size"));
        await PutBlockListAsync(key, ids, ct);
        return total;
    }

    private Task StageFromUrlAsync(string key, string blockId, Uri source, long offset, long length, CancellationToken ct) =>
        CallAsync("Put Block From URL", key, ct, async () =>
        {
            try
            {
                var options = new StageBlockFromUriOptions { SourceRange = new global::Azure.HttpRange(offset, length) };
                await Blob(key).StageBlockFromUriAsync(source, blockId, options, ct);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotImplemented)
            {
                // Azurite 3.35.0 has no Put Block From URL (APINotImplemented); ask once, then let callers stream.
                _copyFromUrlUnsupported = true;
                throw new NotSupportedException($"{_options.ServiceUrl} does not implement Put Block From URL");
            }
            catch (RequestFailedException e) when (SourceStatus(e) is { } status)
            {
                // Azure could not read the source (expired, unreachable from Azure, refused): streaming may still work.
                throw new NotSupportedException($"Azure could not read {UrlRedactor.Redact(source)} for {BlobName(key)} (source status {status}, {e.ErrorCode})");
            }
        });

    /// <summary>The status Azure got from a copy source it could not read, or null when the failure was not about the source.</summary>
    private static string? SourceStatus(RequestFailedException e)
    {
        if (e.GetRawResponse() is { } response && response.Headers.TryGetValue("x-ms-copy-source-status-code", out var status))
            return status;
        return e.ErrorCode == "CannotVerifyCopySource" ? "?" : null;
    }

    /// <summary>
    /// Runs one SDK call, turning its failures into <see cref="AzureStoreException"/>s that name the operation and blob
    /// and carry no secret. Cancellation by <paramref name="ct"/> and our own exceptions pass through.
    /// </summary>
    private async Task<T> CallAsync<T>(string operation, string key, CancellationToken ct, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (Translate(e, operation, key) is { } failure)
                throw failure;
            throw;
        }
    }

    private Exception? Translate(Exception e, string operation, string blob)
    {
        switch (e)
        {
            case AzureStoreException:
                return null;
            case AggregateException { InnerExceptions.Count: > 0 } retries:
                // The SDK's retry policy gives up with every attempt's failure; the last one says the most.
                return Translate(retries.InnerExceptions[^1], operation, blob);
            case RequestFailedException { Status: > 0 } response:
                return AzureErrors.FromResponse(response, operation, BlobName(blob), _options.Account, _options.Credential.Secrets);
            case AuthenticationFailedException:
                return AzureErrors.FromException(new InvalidOperationException(
                    $"no Entra ID token for account {_options.Account}; set {AzureAddress.AccountKeyVariable} or {AzureAddress.SasVariable}, " +
                    $"or sign in for DefaultAzureCredential ({e.Message})"), operation, BlobName(blob), _options.Credential.Secrets);
            case RequestFailedException or HttpRequestException or IOException or OperationCanceledException:
                // No answer: refused, reset, a body that could not be sent, or a network timeout (not the caller's cancellation).
                return AzureErrors.FromException(e, operation, BlobName(blob), _options.Credential.Secrets);
            default:
                return null;
        }
    }

    /// <summary>404 for the blob itself; a missing container is a configuration error, not a missing object.</summary>
    private static bool IsBlobNotFound(RequestFailedException e) =>
        e.Status == (int)HttpStatusCode.NotFound && (string.IsNullOrEmpty(e.ErrorCode) || e.ErrorCode == "BlobNotFound");

    private static bool IsFolder(IDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue("hdi_isfolder", out var value) && value.Equals("true", StringComparison.OrdinalIgnoreCase);

    private BlockBlobClient Blob(string key) => _container.GetBlockBlobClient(key);

    private string Key(string path) => ObjectPath.Join(_prefix, ObjectPath.Validate(path));
}
