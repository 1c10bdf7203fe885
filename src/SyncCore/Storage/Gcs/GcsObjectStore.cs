using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google;
using Google.Apis.Auth.OAuth2;
using Google.Cloud.Storage.V1;
using GcsObject = Google.Apis.Storage.v1.Data.Object;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// A bucket and key prefix on Google Cloud Storage through Google.Cloud.Storage.V1's <see cref="StorageClient"/>.
/// Writes are the client's resumable uploads, which GCS publishes only when complete; put-if-absent adds
/// <c>ifGenerationMatch=0</c>. Reads are one streamed GET through the client's own authenticated HTTP client,
/// because <c>StorageClient.DownloadObjectAsync</c> only pushes into a stream and hides the status a range past the
/// end answers with; that client retries nothing, so the GET is retried here after throttling and 5xx (<see cref="GcsRetry"/>).
/// </summary>
public sealed class GcsObjectStore : IObjectStore, IPresignedReads, IDisposable
{
    private const int ListPageSize = 1000;
    private readonly GcsStoreOptions _options;
    private readonly GcsConnection _connection;
    private readonly GcsReadUrls _readUrls;

    public GcsObjectStore(GcsStoreOptions options) : this(options, null)
    {
    }

    /// <summary>Uses <paramref name="credential"/> instead of the options' (tests hand in a fixed token).</summary>
    internal GcsObjectStore(GcsStoreOptions options, GoogleCredential? credential)
    {
        options.Validate();
        // Relative request paths resolve under the endpoint only when its path ends with '/'.
        _options = options.Endpoint.AbsolutePath.EndsWith('/') ? options : options with { Endpoint = new Uri(options.Endpoint + "/") };
        _connection = new GcsConnection(_options, credential);
        _readUrls = new GcsReadUrls(_options, credential);
    }

    public string Location => $"gs://{_options.Bucket}/{_options.Prefix}";

    public Task<Func<string, Uri>> ReadUrlSignerAsync(DateTimeOffset expiresAt, CancellationToken ct) => _readUrls.SignerAsync(Key, expiresAt, ct);

    public async Task<ObjectInfo?> StatAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        var client = await _connection.GetAsync("get metadata", Name(key), ct);
        try
        {
            return Info(path, await client.GetObjectAsync(_options.Bucket, key, null, ct));
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (GcsErrors.IsServiceFailure(e, ct))
        {
            throw GcsErrors.From(e, "get metadata", Name(key));
        }
    }

    public async Task<Stream> OpenReadAsync(string path, ByteRange? range, CancellationToken ct)
    {
        var key = Key(path);
        if (range is { Length: 0 })
            return await StatAsync(path, ct) is null ? throw new ObjectNotFoundException(path) : Stream.Null;
        var client = await _connection.GetAsync("download", Name(key), ct);
        var response = await SendReadAsync(client, key, range, ct);
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
                    var error = await client.Service.DeserializeError(response);
                    throw GcsErrors.From(new GoogleApiException(client.Service.Name, error.Message) { HttpStatusCode = response.StatusCode, Error = error }, "download", Name(key));
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
        // A short head decides: a body that ends within it goes as one request of known length, anything longer
        // streams in chunks. A burst of small writes so never pins a chunk-sized buffer each.
        var head = ArrayPool<byte>.Shared.Rent(_options.SimpleUploadLimit);
        try
        {
            var filled = await content.ReadAtLeastAsync(head.AsMemory(0, _options.SimpleUploadLimit), _options.SimpleUploadLimit, throwOnEndOfStream: false, ct);
            var client = await _connection.GetAsync("upload", Name(key), ct);
            if (filled < _options.SimpleUploadLimit)
            {
                using var whole = new MemoryStream(head, 0, filled, writable: false);
                await GcsUpload.RunAsync(client, _options, key, whole, ifAbsent: false, Name(key), ct);
                return filled;
            }
            var source = new PrefixedStream(head.AsMemory(0, filled), content);
            await GcsUpload.RunAsync(client, _options, key, source, ifAbsent: false, Name(key), ct);
            return source.Position;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        using var body = new MemoryStream(content.ToArray(), writable: false);
        return await PutIfAbsentAsync(path, body, ct);
    }

    public async Task<bool> PutIfAbsentAsync(string path, Stream content, CancellationToken ct)
    {
        var key = Key(path);
        var client = await _connection.GetAsync("conditional upload", Name(key), ct);
        content.Position = 0;
        return await GcsUpload.RunAsync(client, _options, key, content, ifAbsent: true, Name(key), ct);
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct) => List(prefix, null, ct);

    /// <summary>Starts the listing server-side (<c>startOffset</c>); the filter also covers servers that ignore it.</summary>
    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, string startAfter, CancellationToken ct) => List(prefix, startAfter, ct);

    public async Task DeleteAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        var client = await _connection.GetAsync("delete", Name(key), ct);
        try
        {
            await client.DeleteObjectAsync(_options.Bucket, key, null, ct);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
        }
        catch (Exception e) when (GcsErrors.IsServiceFailure(e, ct))
        {
            throw GcsErrors.From(e, "delete", Name(key));
        }
    }

    public void Dispose() => _connection.Dispose();

    private async IAsyncEnumerable<ObjectInfo> List(string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken ct)
    {
        var fullPrefix = _options.Prefix.Length > 0 && prefix.Length == 0 ? _options.Prefix + "/" : ObjectPath.Join(_options.Prefix, prefix);
        var strip = _options.Prefix.Length == 0 ? 0 : _options.Prefix.Length + 1;
        var fullStartAfter = startAfter is null ? null : ObjectPath.Join(_options.Prefix, startAfter);
        var client = await _connection.GetAsync("list", Name(fullPrefix), ct);
        var pages = client.ListObjectsAsync(_options.Bucket, fullPrefix, new ListObjectsOptions
        {
            PageSize = ListPageSize, StartOffset = fullStartAfter, Fields = "items(name,size,updated),nextPageToken",
        });
        await using var items = pages.GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await items.MoveNextAsync())
                    yield break;
            }
            catch (Exception e) when (GcsErrors.IsServiceFailure(e, ct))
            {
                throw GcsErrors.From(e, "list", Name(fullPrefix));
            }
            var name = items.Current.Name;
            if (fullStartAfter is null || string.CompareOrdinal(name, fullStartAfter) > 0)
                yield return Info(name[strip..], items.Current);
        }
    }

    /// <summary>The GET of a read, tried again after throttling, 5xx and connection failures (<see cref="GcsStoreOptions.MaxAttempts"/>).</summary>
    private async Task<HttpResponseMessage> SendReadAsync(StorageClient client, string key, ByteRange? range, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{client.Service.BaseUri}b/{Uri.EscapeDataString(_options.Bucket)}/o/{Uri.EscapeDataString(key)}?alt=media");
            if (range is { } r)
                request.Headers.Range = new RangeHeaderValue(r.Offset, r.Length is { } n ? r.Offset + n - 1 : null);
            try
            {
                var response = await client.Service.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (attempt == _options.MaxAttempts || !GcsRetry.IsTransient(response.StatusCode))
                    return response;
                response.Dispose();
            }
            catch (Exception e) when (GcsErrors.IsServiceFailure(e, ct))
            {
                if (attempt == _options.MaxAttempts)
                    throw GcsErrors.From(e, "download", Name(key));
            }
            await GcsRetry.DelayAsync(_options, attempt, ct);
        }
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

    private string Key(string path) => ObjectPath.Join(_options.Prefix, ObjectPath.Validate(path));

    private string Name(string key) => $"gs://{_options.Bucket}/{key}";

    private static ObjectInfo Info(string path, GcsObject item) =>
        new(path, (long)(item.Size ?? 0), item.UpdatedDateTimeOffset ?? DateTimeOffset.UnixEpoch);
}
