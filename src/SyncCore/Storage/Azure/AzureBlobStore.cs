using System.Buffers;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using ReplicaSync.Sharing;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// A container and key prefix on Azure Blob Storage (or ADLS Gen2 through its Blob endpoint), spoken to over plain
/// REST with one shared HttpClient and a pinned <c>x-ms-version</c>. Small writes are one Put Blob; large ones are
/// staged as blocks (a few in parallel, pooled buffers, each block retried on its own) and published atomically by
/// Put Block List, so readers never see a partial object. Put-if-absent is Put Blob with <c>If-None-Match: *</c>.
/// Listing pages with opaque markers; Azure has no "start after" for List Blobs, so the listing-after-a-key of
/// <see cref="IObjectStore"/> filters a full listing. A failed or abandoned write leaves only uncommitted blocks,
/// which are invisible, discarded by the blob's next commit and garbage-collected by Azure after 7 days.
/// </summary>
public sealed class AzureBlobStore : IObjectStore, IServerSideCopy, IMultipartWrites
{
    /// <summary>The REST version every request pins (Azurite accepts it with --skipApiVersionCheck).</summary>
    public const string ApiVersion = "2024-11-04";

    private const int SmallObjectSize = 1 << 20;
    private static readonly HttpClient SharedHttp = CreateHttpClient();

    private readonly AzureStoreOptions _options;
    private readonly HttpClient _http;
    private readonly string _containerUrl;
    private readonly string _prefix;
    private readonly PartFeeder _blocks;
    private volatile bool _copyFromUrlUnsupported;

    public AzureBlobStore(AzureStoreOptions options) : this(options, SharedHttp)
    {
    }

    /// <summary>Uses a client built elsewhere (tests record or fake its traffic); the caller owns it.</summary>
    internal AzureBlobStore(AzureStoreOptions options, HttpClient http)
    {
        options.Validate();
        _options = options;
        _http = http;
        _prefix = options.Prefix;
        _containerUrl = options.ServiceUrl + "/" + options.Container;
        _blocks = new PartFeeder(options.BlockSize, options.BlockSize, options.MaxParallelBlocks);
    }

    /// <summary>The prefix's URL (no query, so never a SAS).</summary>
    public string Location => _prefix.Length == 0 ? _containerUrl : _containerUrl + "/" + EscapePath(_prefix);

    public long MinPartSize => 1;

    public int MaxParts => AzureStoreOptions.MaxBlocks;

    public async Task<ObjectInfo?> StatAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, BlobUrl(key)), Retry.Always,
            HttpCompletionOption.ResponseContentRead, "Get Blob Properties", key, ct);
        if (IsBlobNotFound(response))
            return null;
        if (!response.IsSuccessStatusCode)
            throw await FailAsync(response, "Get Blob Properties", key, ct);
        // On an ADLS Gen2 (hierarchical namespace) account a directory is a blob marked hdi_isfolder: not an object.
        if (IsFolder(response))
            return null;
        return new ObjectInfo(path, response.Content.Headers.ContentLength ?? 0, response.Content.Headers.LastModified ?? DateTimeOffset.UnixEpoch);
    }

    public async Task<Stream> OpenReadAsync(string path, ByteRange? range, CancellationToken ct)
    {
        var key = Key(path);
        if (range is { Length: 0 })
            return await StatAsync(path, ct) is null ? throw new ObjectNotFoundException(path) : Stream.Null;
        var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, BlobUrl(key));
            if (range is { } r)
                request.Headers.TryAddWithoutValidation("x-ms-range", r.Length is { } n ? $"bytes={r.Offset}-{r.Offset + n - 1}" : $"bytes={r.Offset}-");
            return request;
        }, Retry.Always, HttpCompletionOption.ResponseHeadersRead, "Get Blob", key, ct);
        if (IsBlobNotFound(response))
        {
            response.Dispose();
            throw new ObjectNotFoundException(path);
        }
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The blob exists but the range starts at or past its end: like a local file, that reads as empty.
            response.Dispose();
            return Stream.Null;
        }
        if (!response.IsSuccessStatusCode)
            throw await FailAsync(response, "Get Blob", key, ct);
        // Disposing the content stream releases the connection.
        return await response.Content.ReadAsStreamAsync(ct);
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

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var key = Key(path);
        // Retried only when Azure certainly did not apply it (throttled, busy, never sent): after an ambiguous
        // failure a retry could find our own blob and wrongly report that someone else won.
        using var response = await SendAsync(() =>
        {
            var request = PutBlobRequest(key, content);
            request.Headers.TryAddWithoutValidation("If-None-Match", "*");
            return request;
        }, Retry.IfNotApplied, HttpCompletionOption.ResponseContentRead, "conditional Put Blob", key, ct);
        if (response.IsSuccessStatusCode)
            return true;
        // Azure answers 409 BlobAlreadyExists to If-None-Match: * on an existing blob (412 ConditionNotMet in some cases).
        if (response.StatusCode == HttpStatusCode.PreconditionFailed || (response.StatusCode == HttpStatusCode.Conflict && AzureErrors.ErrorCode(response) == "BlobAlreadyExists"))
            return false;
        throw await FailAsync(response, "conditional Put Blob", key, ct);
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct) => List(prefix, ct);

    public async Task DeleteAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, BlobUrl(key)), Retry.Always,
            HttpCompletionOption.ResponseContentRead, "Delete Blob", key, ct);
        if (!response.IsSuccessStatusCode && !IsBlobNotFound(response))
            throw await FailAsync(response, "Delete Blob", key, ct);
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
            async (i, token) => await PutBlockFromUrlAsync(key, ids[i], source, i * blockSize, Math.Min(blockSize, size - i * blockSize), token));
        var staged = await UncommittedBlockSizesAsync(key, ct);
        var total = ids.Sum(id => staged.GetValueOrDefault(id, -1));
        if (ids.Any(id => !staged.ContainsKey(id)) || total != size)
            throw new IOException($"Azure Put Block From URL of {Blob(key)} staged {total} bytes, but the source should have {size}");
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

    /// <summary>Put Block from a buffer the caller keeps until this completes; transient failures retry this block only.</summary>
    internal async Task PutBlockAsync(string key, string blockId, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, BlockUrl(key, blockId)) { Content = Body(body) },
            Retry.Always, HttpCompletionOption.ResponseContentRead, "Put Block", key, ct);
        if (!response.IsSuccessStatusCode)
            throw await FailAsync(response, "Put Block", key, ct);
    }

    /// <summary>Put Block streaming exactly <paramref name="length"/> bytes of a caller's stream (not retried: the stream is consumed).</summary>
    internal async Task PutBlockAsync(string key, string blockId, Stream content, long length, CancellationToken ct)
    {
        using var response = await SendAsync(() =>
        {
            var body = new StreamContent(new BoundedStream(content, length, exact: true, leaveOpen: true));
            body.Headers.ContentLength = length;
            return new HttpRequestMessage(HttpMethod.Put, BlockUrl(key, blockId)) { Content = body };
        }, Retry.Never, HttpCompletionOption.ResponseContentRead, "Put Block", key, ct);
        if (!response.IsSuccessStatusCode)
            throw await FailAsync(response, "Put Block", key, ct);
    }

    /// <summary>Commits the blocks, in order, as the blob's content (replacing any previous blob).</summary>
    internal async Task PutBlockListAsync(string key, IReadOnlyList<string> blockIds, CancellationToken ct)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>", 64 + blockIds.Count * 72);
        foreach (var id in blockIds)
            xml.Append("<Latest>").Append(id).Append("</Latest>");
        var body = Encoding.UTF8.GetBytes(xml.Append("</BlockList>").ToString());
        // Committing the same list twice gives the same blob, so a retry after an ambiguous failure is safe.
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, BlobUrl(key) + "?comp=blocklist") { Content = Body(body) },
            Retry.Always, HttpCompletionOption.ResponseContentRead, "Put Block List", key, ct);
        if (!response.IsSuccessStatusCode)
            throw await FailAsync(response, "Put Block List", key, ct);
    }

    internal async Task PutBlobAsync(string key, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        using var response = await SendAsync(() => PutBlobRequest(key, body), Retry.Always, HttpCompletionOption.ResponseContentRead, "Put Blob", key, ct);
        if (!response.IsSuccessStatusCode)
            throw await FailAsync(response, "Put Blob", key, ct);
    }

    internal string Blob(string key) => $"{_options.Container}/{key}";

    // ---- internals ----

    private async IAsyncEnumerable<ObjectInfo> List(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var full = ObjectPath.Join(_prefix, prefix);
        var strip = _prefix.Length == 0 ? 0 : _prefix.Length + 1;
        string? marker = null;
        do
        {
            var url = $"{_containerUrl}?restype=container&comp=list&include=metadata&maxresults={_options.ListPageSize}&prefix={Uri.EscapeDataString(full)}"
                + (marker is null ? "" : "&marker=" + Uri.EscapeDataString(marker));
            AzureListPage page;
            using (var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), Retry.Always,
                       HttpCompletionOption.ResponseHeadersRead, "List Blobs", full + "*", ct))
            {
                if (!response.IsSuccessStatusCode)
                    throw await FailAsync(response, "List Blobs", full + "*", ct);
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                page = await AzureListPage.ReadAsync(body, ct);
            }
            foreach (var blob in page.Blobs)
            {
                if (!blob.IsDirectory)
                    yield return new ObjectInfo(blob.Name[strip..], blob.Size, blob.LastModified);
            }
            marker = page.NextMarker;
        }
        while (marker is not null);
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
            () => new IOException($"{Blob(key)} would need more than {AzureStoreOptions.MaxBlocks} blocks of {_options.BlockSize} bytes; raise the block size"));
        await PutBlockListAsync(key, ids, ct);
        return total;
    }

    private async Task PutBlockFromUrlAsync(string key, string blockId, Uri source, long offset, long length, CancellationToken ct)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, BlockUrl(key, blockId)) { Content = Body(ReadOnlyMemory<byte>.Empty) };
            request.Headers.TryAddWithoutValidation("x-ms-copy-source", source.AbsoluteUri);
            request.Headers.TryAddWithoutValidation("x-ms-source-range", $"bytes={offset}-{offset + length - 1}");
            return request;
        }, Retry.Always, HttpCompletionOption.ResponseContentRead, "Put Block From URL", key, ct);
        if (response.IsSuccessStatusCode)
            return;
        if (response.StatusCode == HttpStatusCode.NotImplemented)
        {
            // Azurite 3.35.0 has no Put Block From URL (APINotImplemented); ask once, then let callers stream.
            _copyFromUrlUnsupported = true;
            throw new NotSupportedException($"{_options.ServiceUrl} does not implement Put Block From URL");
        }
        var code = AzureErrors.ErrorCode(response);
        if (code is "CannotVerifyCopySource" || response.Headers.Contains("x-ms-copy-source-status-code"))
        {
            // Azure could not read the source (expired, unreachable from Azure, refused): streaming may still work.
            var status = response.Headers.TryGetValues("x-ms-copy-source-status-code", out var values) ? values.First() : "?";
            throw new NotSupportedException($"Azure could not read {UrlRedactor.Redact(source)} for {Blob(key)} (source status {status}, {code})");
        }
        throw await FailAsync(response, "Put Block From URL", key, ct);
    }

    /// <summary>Sizes of the blob's uncommitted blocks by id (Get Block List).</summary>
    private async Task<Dictionary<string, long>> UncommittedBlockSizesAsync(string key, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, BlobUrl(key) + "?comp=blocklist&blocklisttype=uncommitted"),
            Retry.Always, HttpCompletionOption.ResponseContentRead, "Get Block List", key, ct);
        if (!response.IsSuccessStatusCode)
            throw await FailAsync(response, "Get Block List", key, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        return await AzureListPage.ReadBlockListAsync(body, ct);
    }

    private HttpRequestMessage PutBlobRequest(string key, ReadOnlyMemory<byte> body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, BlobUrl(key)) { Content = Body(body) };
        request.Headers.TryAddWithoutValidation("x-ms-blob-type", "BlockBlob");
        return request;
    }

    private enum Retry
    {
        /// <summary>Idempotent: retry throttling, 5xx, timeouts and connection failures.</summary>
        Always,

        /// <summary>Not idempotent: retry only what Azure certainly did not apply (429, 503, connection never made).</summary>
        IfNotApplied,

        /// <summary>The body cannot be sent twice.</summary>
        Never,
    }

    /// <summary>
    /// Sends a request built fresh per attempt with version, date and authorization, retrying as
    /// <paramref name="retry"/> allows. Returns any HTTP answer; failures to get one become <see cref="AzureStoreException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, Retry retry, HttpCompletionOption completion, string operation, string key, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var request = build();
            request.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
            request.Headers.TryAddWithoutValidation("x-ms-date", DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
            var more = attempt < _options.MaxAttempts;
            HttpResponseMessage response;
            try
            {
                await _options.Credential.AuthorizeAsync(request, _options.Account, ct);
                response = await _http.SendAsync(request, completion, ct);
            }
            catch (HttpRequestException e) when (more && (retry == Retry.Always || (retry == Retry.IfNotApplied && NeverSent(e))))
            {
                await DelayAsync(attempt, ct);
                continue;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested && more && retry == Retry.Always)
            {
                await DelayAsync(attempt, ct);
                continue;
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw AzureErrors.FromException(new TimeoutException($"no answer within {_http.Timeout.TotalSeconds:0} s", e), operation, Blob(key), Secrets);
            }
            catch (HttpRequestException e)
            {
                throw AzureErrors.FromException(e, operation, Blob(key), Secrets);
            }
            catch (global::Azure.Identity.AuthenticationFailedException e)
            {
                throw NoToken(e, operation, key);
            }
            catch (global::Azure.RequestFailedException e)
            {
                throw NoToken(e, operation, key);
            }
            if (more && IsTransient(response.StatusCode, retry))
            {
                response.Dispose();
                await DelayAsync(attempt, ct);
                continue;
            }
            return response;
        }
    }

    private static bool IsTransient(HttpStatusCode status, Retry retry) => retry switch
    {
        Retry.Always => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
        Retry.IfNotApplied => status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable,
        _ => false,
    };

    /// <summary>Failures before the request could have reached the server.</summary>
    private static bool NeverSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    private Task DelayAsync(int attempt, CancellationToken ct)
    {
        var delay = _options.RetryBaseDelay * Math.Pow(2, attempt - 1) * (0.8 + 0.4 * Random.Shared.NextDouble());
        return Task.Delay(delay, ct);
    }

    private AzureStoreException NoToken(Exception e, string operation, string key) =>
        AzureErrors.FromException(new InvalidOperationException(
            $"no Entra ID token for account {_options.Account}; set {AzureAddress.AccountKeyVariable} or {AzureAddress.SasVariable}, " +
            $"or sign in for DefaultAzureCredential ({e.Message})"), operation, Blob(key), Secrets);

    private async Task<AzureStoreException> FailAsync(HttpResponseMessage response, string operation, string key, CancellationToken ct)
    {
        using (response)
        {
            var (code, message) = await AzureErrors.ReadAsync(response, ct);
            return AzureErrors.FromResponse(response.StatusCode, code, message, operation, Blob(key), _options.Account, Secrets);
        }
    }

    private IEnumerable<string> Secrets => _options.Credential.Secrets;

    /// <summary>404 for the blob itself; a missing container is a configuration error, not a missing object.</summary>
    private static bool IsBlobNotFound(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.NotFound && AzureErrors.ErrorCode(response) is null or "BlobNotFound";

    private static bool IsFolder(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ms-meta-hdi_isfolder", out var values) && values.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static ByteArrayContent Body(ReadOnlyMemory<byte> body)
    {
        var content = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment)
            ? new ByteArrayContent(segment.Array!, segment.Offset, segment.Count)
            : new ByteArrayContent(body.ToArray());
        content.Headers.ContentLength = body.Length;
        return content;
    }

    private string Key(string path) => ObjectPath.Join(_prefix, ObjectPath.Validate(path));

    private string BlobUrl(string key) => _containerUrl + "/" + EscapePath(key);

    private string BlockUrl(string key, string blockId) => BlobUrl(key) + "?comp=block&blockid=" + Uri.EscapeDataString(blockId);

    /// <summary>Each '/'-separated segment percent-encoded, so keys with '%', '?', '#', '=' or spaces address the right blob.</summary>
    private static string EscapePath(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    private static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        // Recycle connections so DNS changes (failover) are picked up; no redirects, cookies or decompression.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        // Until response headers: a block upload or a server-side block copy, not a whole large download.
        Timeout = TimeSpan.FromMinutes(5),
    };
}
