using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

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
public sealed class AzureBlobStore : IObjectStore, IServerSideCopy, IMultipartWrites, IPresignedReads
{
    /// <summary>The REST version every request pins (Azurite accepts it with --skipApiVersionCheck).</summary>
    public const string ApiVersion = "2024-11-04";

    private const int SmallObjectSize = 1 << 20;

    private readonly AzureStoreOptions _options;
    private readonly BlobContainerClient _container;
    private readonly AzureCalls _calls;
    private readonly AzureBlocks _blocks;
    private readonly AzureUrlCopy _urlCopy;
    private readonly AzureReadSas _readSas;
    private readonly string _prefix;
    private readonly PartFeeder _feeder;

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
        client.RetryPolicy = new AzureRetryPolicy(client.Retry);
        if (transport is not null)
            client.Transport = transport;
        _container = options.Credential.CreateClient(new Uri(options.ServiceUrl), options.Account, client).GetBlobContainerClient(options.Container);
        // The SDK rebuilds each blob's URL by parsing the container's, reading it path-style only for IP hosts and the
        // emulator ports: a named path-style endpoint (a proxy) would send every request to the wrong container.
        if (_container.GetBlobClient("probe").Uri.AbsoluteUri != _container.Uri.AbsoluteUri + "/probe")
            throw new ArgumentException($"the Azure SDK cannot address blobs path-style under {options.ServiceUrl}; give {AzureAddress.EndpointVariable} " +
                                        "as an IP address, an emulator port (10000-10009) or the account's own host ({account}.blob.…)");
        _calls = new AzureCalls(options.Container, options.Account, options.Credential);
        _blocks = new AzureBlocks(_container, _calls);
        _urlCopy = new AzureUrlCopy(_blocks, options);
        _readSas = new AzureReadSas(_container, options, _calls);
        _feeder = new PartFeeder(options.BlockSize, options.BlockSize, options.MaxParallelBlocks);
    }

    /// <summary>The prefix's URL (no query, so never a SAS).</summary>
    public string Location => _prefix.Length == 0 ? _container.Uri.AbsoluteUri : _blocks.Blob(_prefix).Uri.AbsoluteUri;

    public long MinPartSize => 1;

    public int MaxParts => AzureStoreOptions.MaxBlocks;

    public Task<ObjectInfo?> StatAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        return _calls.RunAsync("Get Blob Properties", key, ct, async () =>
        {
            try
            {
                BlobProperties properties = await _blocks.Blob(key).GetPropertiesAsync(cancellationToken: ct);
                // On an ADLS Gen2 (hierarchical namespace) account a directory is a blob marked hdi_isfolder: not an object.
                return IsFolder(properties.Metadata) ? null : new ObjectInfo(path, properties.ContentLength, properties.LastModified);
            }
            catch (RequestFailedException e) when (AzureCalls.IsBlobNotFound(e))
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
        return await _calls.RunAsync("Get Blob", key, ct, async () =>
        {
            try
            {
                var options = new BlobDownloadOptions { Range = range is { } r ? new HttpRange(r.Offset, r.Length) : default };
                // The SDK's stream resumes an interrupted body with a ranged read pinned to the blob's ETag.
                BlobDownloadStreamingResult result = await _blocks.Blob(key).DownloadStreamingAsync(options, ct);
                return result.Content;
            }
            catch (RequestFailedException e) when (AzureCalls.IsBlobNotFound(e))
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
                await _blocks.PutBlobAsync(key, start.AsMemory(0, filled), ct);
                return filled;
            }
            return await WriteLargeAsync(key, start.AsMemory(0, filled), content, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(start);
        }
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        using var body = new MemoryStream(content.ToArray(), writable: false);
        return await PutIfAbsentAsync(path, body, ct);
    }

    public Task<bool> PutIfAbsentAsync(string path, Stream content, CancellationToken ct)
    {
        var key = Key(path);
        return _calls.RunAsync("conditional Put Blob", key, ct, async () =>
        {
            // Retried only when Azure certainly did not apply it (throttled, busy, never sent): after an ambiguous
            // failure a retry could find our own blob and wrongly report that someone else won.
            using var scope = AzureRetryPolicy.Scope(AzureRetry.IfNotApplied);
            try
            {
                var conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
                content.Position = 0;
                await _blocks.Blob(key).UploadAsync(content, new BlobUploadOptions { Conditions = conditions }, ct);
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
        return _calls.RunAsync("Delete Blob", key, ct, async () =>
        {
            try
            {
                await _blocks.Blob(key).DeleteAsync(cancellationToken: ct);
            }
            catch (RequestFailedException e) when (AzureCalls.IsBlobNotFound(e))
            {
                // Already gone: deleting a missing object is not an error.
            }
        });
    }

    /// <summary>Put Block From URL in <see cref="AzureStoreOptions.CopyBlockSize"/> ranges, then Put Block List (see <see cref="AzureUrlCopy"/>).</summary>
    public Task<Func<string, Uri>> ReadUrlSignerAsync(DateTimeOffset expiresAt, CancellationToken ct) => _readSas.SignerAsync(Key, expiresAt, ct);

    public Task<long> CopyFromUrlAsync(string path, Uri source, long size, CancellationToken ct) => _urlCopy.CopyAsync(Key(path), source, size, ct);

    public Task<IMultipartWrite> BeginAsync(string path, long size, CancellationToken ct)
    {
        var key = Key(path);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return Task.FromResult<IMultipartWrite>(new AzureMultipartWrite(_blocks, key, size));
    }

    private async IAsyncEnumerable<ObjectInfo> List(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var full = ObjectPath.Join(_prefix, prefix);
        var strip = _prefix.Length == 0 ? 0 : _prefix.Length + 1;
        var options = new GetBlobsOptions { Prefix = full, Traits = BlobTraits.Metadata };
        // Pages arrive in ascending key order, each fetched only when the previous one is consumed.
        var pages = _container.GetBlobsAsync(options, ct).AsPages(pageSizeHint: _options.ListPageSize).GetAsyncEnumerator(ct);
        await using (pages)
        {
            while (await _calls.RunAsync("List Blobs", full + "*", ct, async () => await pages.MoveNextAsync()))
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
        var (head, filled) = await _feeder.FillHeadAsync(start, content, ct);
        if (filled < _feeder.HeadSize)
        {
            try
            {
                await _blocks.PutBlobAsync(key, head.AsMemory(0, filled), ct);
                return filled;
            }
            finally
            {
                _feeder.Return(head);
            }
        }
        // The feeder owns the full head buffer from here and returns it to the pool.
        var writeId = BlockIds.NewWriteId();
        var (ids, total) = await _feeder.RunAsync(head, content, async (index, buffer, length, token) =>
            {
                var id = BlockIds.Id(writeId, index);
                await _blocks.PutBlockAsync(key, id, buffer.AsMemory(0, length), token);
                return id;
            }, ct, AzureStoreOptions.MaxBlocks,
            () => new IOException($"{_calls.BlobName(key)} would need more than {AzureStoreOptions.MaxBlocks} blocks of {_options.BlockSize} bytes; raise the block size"));
        await _blocks.PutBlockListAsync(key, ids, ct);
        return total;
    }

    private static bool IsFolder(IDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue("hdi_isfolder", out var value) && value.Equals("true", StringComparison.OrdinalIgnoreCase);

    private string Key(string path) => ObjectPath.Join(_prefix, ObjectPath.Validate(path));
}
