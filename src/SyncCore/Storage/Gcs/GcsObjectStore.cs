using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// A bucket and key prefix on Google Cloud Storage over its JSON API. Small writes are one media upload, large
/// ones a chunked resumable upload that is cancelled on failure; either way GCS publishes the object only when
/// complete. Put-if-absent is an upload with <c>ifGenerationMatch=0</c>.
/// </summary>
public sealed class GcsObjectStore : IObjectStore, IDisposable
{
    private const int ListPageSize = 1000;
    private static readonly Lazy<HttpClient> SharedHttp = new(CreateHttpClient);
    private readonly GcsStoreOptions _options;
    private readonly GcsHttp _http;
    private readonly IGcsTokenSource _tokens;
    private readonly ArrayPool<byte> _chunks;
    private readonly string _bucketPath;

    public GcsObjectStore(GcsStoreOptions options) : this(options, SharedHttp.Value, CreateTokenSource(options))
    {
    }

    /// <summary>Uses the given HTTP client and token source (tests record traffic and fake credentials).</summary>
    internal GcsObjectStore(GcsStoreOptions options, HttpClient http, IGcsTokenSource tokens)
    {
        options.Validate();
        // Relative request paths resolve under the endpoint only when its path ends with '/'.
        _options = options.Endpoint.AbsolutePath.EndsWith('/') ? options : options with { Endpoint = new Uri(options.Endpoint + "/") };
        _tokens = tokens;
        _http = new GcsHttp(http, tokens, options);
        _chunks = ArrayPool<byte>.Create(options.ChunkSize, 8);
        _bucketPath = "b/" + Uri.EscapeDataString(options.Bucket) + "/o";
    }

    public string Location => $"gs://{_options.Bucket}/{_options.Prefix}";

    public async Task<ObjectInfo?> StatAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        using var response = await _http.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, ObjectUri(key, "")), "get metadata", Name(key), retry: true, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (!response.IsSuccessStatusCode)
            throw await GcsErrors.FromResponseAsync(response, "get metadata", Name(key), ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        return Info(path, json.RootElement);
    }

    public async Task<Stream> OpenReadAsync(string path, ByteRange? range, CancellationToken ct)
    {
        var key = Key(path);
        if (range is { Length: 0 })
            return await StatAsync(path, ct) is null ? throw new ObjectNotFoundException(path) : Stream.Null;
        var response = await _http.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, ObjectUri(key, "alt=media"));
            if (range is { } r)
                request.Headers.Range = new RangeHeaderValue(r.Offset, r.Length is { } n ? r.Offset + n - 1 : null);
            return request;
        }, "download", Name(key), retry: true, ct, HttpCompletionOption.ResponseHeadersRead);
        try
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound:
                    throw new ObjectNotFoundException(path);
                case HttpStatusCode.RequestedRangeNotSatisfiable:
                    // The object exists but the range starts at or past its end: like a local file, that reads as empty.
                    response.Dispose();
                    return Stream.Null;
                case HttpStatusCode.PartialContent:
                case HttpStatusCode.OK when range is null:
                    // Disposing the content stream releases the connection, so the caller's dispose is enough.
                    return await response.Content.ReadAsStreamAsync(ct);
                case HttpStatusCode.OK:
                    // HTTP lets a server ignore Range and send the whole object (the emulator does for ranges past the end).
                    return await SliceAsync(await response.Content.ReadAsStreamAsync(ct), range.Value, ct);
                default:
                    throw await GcsErrors.FromResponseAsync(response, "download", Name(key), ct);
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<long> WriteAsync(string path, Stream content, CancellationToken ct)
    {
        var key = Key(path);
        // Most objects (commits, small data files) are small: a short head buffer decides between one media upload
        // and a resumable upload, so a burst of small writes does not pin a chunk-sized buffer each.
        var head = ArrayPool<byte>.Shared.Rent(_options.SimpleUploadLimit);
        try
        {
            var filled = await content.ReadAtLeastAsync(head.AsMemory(0, _options.SimpleUploadLimit), _options.SimpleUploadLimit, throwOnEndOfStream: false, ct);
            if (filled < _options.SimpleUploadLimit)
            {
                await UploadAsync(key, head.AsMemory(0, filled), ifAbsent: false, ct);
                return filled;
            }
            var chunk = _chunks.Rent(_options.ChunkSize);
            try
            {
                head.AsSpan(0, filled).CopyTo(chunk);
                return await new GcsResumableUpload(_http, UploadUri(key, "resumable", ifAbsent: false), Name(key)).RunAsync(chunk, filled, content, ct);
            }
            finally
            {
                _chunks.Return(chunk);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var key = Key(path);
        var bytes = content.ToArray();
        var (status, attempts) = await UploadAsync(key, bytes, ifAbsent: true, ct);
        if (status != HttpStatusCode.PreconditionFailed)
            return true;
        if (attempts == 1)
            return false;
        // A retried create that finds the object may be finding our own earlier attempt, whose answer was lost:
        // it is ours when it holds exactly our bytes (gone again means it was someone else's).
        try
        {
            await using var existing = await OpenReadAsync(path, null, ct);
            using var copy = new MemoryStream();
            await existing.CopyToAsync(copy, ct);
            return copy.GetBuffer().AsSpan(0, (int)copy.Length).SequenceEqual(bytes);
        }
        catch (ObjectNotFoundException)
        {
            return false;
        }
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct) => List(prefix, null, ct);

    /// <summary>Starts the listing server-side (<c>startOffset</c>); the filter also covers servers that ignore it.</summary>
    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, string startAfter, CancellationToken ct) => List(prefix, startAfter, ct);

    public async Task DeleteAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        using var response = await _http.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, ObjectUri(key, "")), "delete", Name(key), retry: true, ct);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
            throw await GcsErrors.FromResponseAsync(response, "delete", Name(key), ct);
    }

    public void Dispose() => (_tokens as IDisposable)?.Dispose();

    private async IAsyncEnumerable<ObjectInfo> List(string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken ct)
    {
        var fullPrefix = _options.Prefix.Length > 0 && prefix.Length == 0 ? _options.Prefix + "/" : ObjectPath.Join(_options.Prefix, prefix);
        var strip = _options.Prefix.Length == 0 ? 0 : _options.Prefix.Length + 1;
        var fullStartAfter = startAfter is null ? null : ObjectPath.Join(_options.Prefix, startAfter);
        var query = $"prefix={Uri.EscapeDataString(fullPrefix)}&maxResults={ListPageSize}"
            + (fullStartAfter is null ? "" : $"&startOffset={Uri.EscapeDataString(fullStartAfter)}");
        string? pageToken = null;
        do
        {
            var uri = new Uri(_options.Endpoint, $"storage/v1/{_bucketPath}?{query}" + (pageToken is null ? "" : $"&pageToken={Uri.EscapeDataString(pageToken)}"));
            using var response = await _http.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), "list", Name(fullPrefix), retry: true, ct);
            if (!response.IsSuccessStatusCode)
                throw await GcsErrors.FromResponseAsync(response, "list", Name(fullPrefix), ct);
            using var page = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            if (page.RootElement.TryGetProperty("items", out var items))
            {
                foreach (var item in items.EnumerateArray())
                {
                    var name = item.GetProperty("name").GetString()!;
                    if (fullStartAfter is null || string.CompareOrdinal(name, fullStartAfter) > 0)
                        yield return Info(name[strip..], item);
                }
            }
            pageToken = page.RootElement.TryGetProperty("nextPageToken", out var next) && next.GetString() is { Length: > 0 } t ? t : null;
        }
        while (pageToken is not null);
    }

    /// <summary>One media upload; returns the status (200 or 412 with a precondition) and how many attempts it took.</summary>
    private async Task<(HttpStatusCode Status, int Attempts)> UploadAsync(string key, ReadOnlyMemory<byte> body, bool ifAbsent, CancellationToken ct)
    {
        var uri = UploadUri(key, "media", ifAbsent);
        var attempts = 0;
        using var response = await _http.SendAsync(() =>
        {
            attempts++;
            var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        }, ifAbsent ? "conditional upload" : "upload", Name(key), retry: true, ct);
        if (response.IsSuccessStatusCode || (ifAbsent && response.StatusCode == HttpStatusCode.PreconditionFailed))
            return (response.StatusCode, attempts);
        throw await GcsErrors.FromResponseAsync(response, ifAbsent ? "conditional upload" : "upload", Name(key), ct);
    }

    private static async Task<Stream> SliceAsync(Stream whole, ByteRange range, CancellationToken ct)
    {
        var skip = new byte[64 << 10];
        for (var left = range.Offset; left > 0;)
        {
            var n = await whole.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, left)), ct);
            if (n == 0)
                break;
            left -= n;
        }
        return range.Length is { } length ? new BoundedStream(whole, length) : whole;
    }

    private Uri ObjectUri(string key, string query) =>
        new(_options.Endpoint, $"storage/v1/{_bucketPath}/{Uri.EscapeDataString(key)}" + (query.Length > 0 ? "?" + query : ""));

    private Uri UploadUri(string key, string uploadType, bool ifAbsent) =>
        new(_options.Endpoint, $"upload/storage/v1/{_bucketPath}?uploadType={uploadType}&name={Uri.EscapeDataString(key)}" + (ifAbsent ? "&ifGenerationMatch=0" : ""));

    private string Key(string path) => ObjectPath.Join(_options.Prefix, ObjectPath.Validate(path));

    private string Name(string key) => $"gs://{_options.Bucket}/{key}";

    private static ObjectInfo Info(string path, JsonElement item)
    {
        // The JSON API sends int64 values as strings.
        var size = item.TryGetProperty("size", out var s) ? long.Parse(s.GetString() ?? "0", CultureInfo.InvariantCulture) : 0;
        var updated = item.TryGetProperty("updated", out var u) && u.GetString() is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : DateTimeOffset.UnixEpoch;
        return new ObjectInfo(path, size, updated);
    }

    private static IGcsTokenSource CreateTokenSource(GcsStoreOptions options) => options.Credentials switch
    {
        GcsCredentials.None => AnonymousGcsTokenSource.Instance,
        GcsCredentials.KeyFile => new GoogleGcsTokenSource(options.KeyFile),
        _ => new GoogleGcsTokenSource(null),
    };

    private static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        // A 308 from an upload session means "resume incomplete", never a redirect to follow.
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromMinutes(10),
    };
}
