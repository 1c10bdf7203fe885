using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ReplicaSync.Sharing;

/// <summary>A Delta Sharing REST client: lists shares, schemas and tables, and reads table versions, metadata and queries.</summary>
public sealed class SharingClient : IDisposable
{
    private const string VersionHeader = "Delta-Table-Version";
    private const string DeltaCapabilities = "responseformat=delta;readerfeatures=deletionvectors,columnmapping,timestampntz";
    private const string EndStreamCapability = "includeendstreamaction=true";

    private readonly SharingTransport _transport;
    private readonly int? _pageSize;

    /// <summary>Creates a client; a given <paramref name="http"/> is used as is and not disposed, otherwise the client owns one.</summary>
    public SharingClient(SharingProfile profile, HttpClient? http = null, SharingClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        options ??= new SharingClientOptions();
        options.Validate();
        _pageSize = options.PageSize;
        _transport = new SharingTransport(profile, http, options);
    }

    /// <summary>All shares the token can see, following pages.</summary>
    public IAsyncEnumerable<ShareInfo> ListSharesAsync(CancellationToken ct = default) =>
        ListAsync("/shares", (item, f) => new ShareInfo(f.RequiredString(item, "name"), f.OptionalString(item, "id")), ct);

    /// <summary>The schemas of a share, following pages.</summary>
    public IAsyncEnumerable<SchemaInfo> ListSchemasAsync(string share, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(share);
        return ListAsync($"/shares/{Escape(share)}/schemas",
            (item, f) => new SchemaInfo(f.RequiredString(item, "name"), f.OptionalString(item, "share") ?? share), ct);
    }

    /// <summary>The tables of a schema, following pages.</summary>
    public IAsyncEnumerable<TableInfo> ListTablesAsync(string share, string schema, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(share);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        return ListAsync($"/shares/{Escape(share)}/schemas/{Escape(schema)}/tables", (item, f) => new TableInfo(
            f.RequiredString(item, "name"), f.OptionalString(item, "schema") ?? schema, f.OptionalString(item, "share") ?? share,
            f.OptionalString(item, "id")), ct);
    }

    /// <summary>Every table of a share across its schemas, following pages.</summary>
    public IAsyncEnumerable<TableInfo> ListAllTablesAsync(string share, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(share);
        return ListAsync($"/shares/{Escape(share)}/all-tables", (item, f) => new TableInfo(
            f.RequiredString(item, "name"), f.RequiredString(item, "schema"), f.OptionalString(item, "share") ?? share,
            f.OptionalString(item, "id")), ct);
    }

    /// <summary>The latest table version, or with <paramref name="startingTimestamp"/> the first version committed at or after it.</summary>
    public async Task<long> GetTableVersionAsync(TableAddress table, DateTimeOffset? startingTimestamp = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var url = TableUrl(table, "version") +
            (startingTimestamp is { } ts ? "?startingTimestamp=" + Uri.EscapeDataString(IsoTimestamp.Format(ts)) : "");
        using var response = await _transport.SendAsync(HttpMethod.Get, url, null, ct).ConfigureAwait(false);
        return ReadVersionHeader(response, SharingTransport.Describe(HttpMethod.Get, url));
    }

    /// <summary>The protocol and metadata of the table (at <paramref name="version"/> when given), asked for in delta format.</summary>
    public async Task<TableMetadataResult> GetMetadataAsync(TableAddress table, long? version = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var url = TableUrl(table, "metadata") + (version is { } v ? "?version=" + v.ToString(CultureInfo.InvariantCulture) : "");
        var what = SharingTransport.Describe(HttpMethod.Get, url);
        using var response = await _transport.SendAsync(HttpMethod.Get, url,
            request => request.Headers.TryAddWithoutValidation(SharingCapabilities.HeaderName, DeltaCapabilities), ct).ConfigureAwait(false);
        var format = ChooseFormat(ResponseFormat.Delta, SharingCapabilities.FromResponse(response), what);
        var tableVersion = ReadVersionHeader(response, what);
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var parser = new SharingLineParser(format, what, _transport.Scrubber);
        var lines = new List<SharingLine>(2);
        await foreach (var line in SharingLineStream.ReadAsync(body, parser, false, what, _transport.Scrubber, ct).ConfigureAwait(false))
        {
            if (lines.Count == 2)
                throw new SharingProtocolException($"{what}: a metadata response must have exactly 2 lines, but it has more", lines.Count + 1);
            lines.Add(line);
        }
        // The line stream has already checked that these are a protocol and a metaData line, in that order.
        return new TableMetadataResult(tableVersion, format, (ProtocolLine)lines[0], (MetadataLine)lines[1]);
    }

    /// <summary>
    /// Starts a query and returns once the first page's headers are in; the lines are read as the caller enumerates
    /// <see cref="QueryResult.Lines"/>. A response that ends with a <c>nextPageToken</c> (the request set
    /// <see cref="QueryRequest.MaxFiles"/>, or the server pages by itself) is followed page by page, each asked for only
    /// when the caller reads past the previous one. Dispose the result to release the connection.
    /// </summary>
    public async Task<QueryResult> QueryAsync(TableAddress table, QueryRequest request, ResponseFormat preferred = ResponseFormat.Delta, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(request);
        var url = TableUrl(table, "query");
        return await StreamAsync(preferred, token =>
        {
            var body = request.ForPage(token).ToJsonUtf8();
            return new PageRequest(HttpMethod.Post, url,
                message => message.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a change data feed call (<c>GET …/changes</c>) in delta format; like <see cref="QueryAsync"/>, the lines
    /// are read as the caller enumerates them and pages are followed. A provider refuses it (400) for versions that
    /// recorded no change data.
    /// </summary>
    public Task<QueryResult> QueryChangesAsync(TableAddress table, ChangesRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(request);
        var url = TableUrl(table, "changes");
        return StreamAsync(ResponseFormat.Delta, token => new PageRequest(HttpMethod.Get, url + request.ToQueryString(token), null), ct);
    }

    public void Dispose() => _transport.Dispose();

    private async Task<QueryResult> StreamAsync(ResponseFormat preferred, Func<string?, PageRequest> pageRequest, CancellationToken ct)
    {
        var first = await OpenPageAsync(preferred, pageRequest(null), ct).ConfigureAwait(false);
        return new QueryResult(first.Version, first.Format, new QueryPages(first, (next, token) => OpenPageAsync(preferred, pageRequest(next), token)), ct);
    }

    /// <summary>Sends one page's request and checks its headers; its lines are read when the page is enumerated.</summary>
    private async Task<QueryPage> OpenPageAsync(ResponseFormat preferred, PageRequest page, CancellationToken ct)
    {
        var what = SharingTransport.Describe(page.Method, page.Url);
        var capabilities = (preferred == ResponseFormat.Delta ? DeltaCapabilities : "responseformat=parquet") + ";" + EndStreamCapability;
        var response = await _transport.SendAsync(page.Method, page.Url, message =>
        {
            page.Configure?.Invoke(message);
            message.Headers.TryAddWithoutValidation(SharingCapabilities.HeaderName, capabilities);
        }, ct).ConfigureAwait(false);
        try
        {
            var echoed = SharingCapabilities.FromResponse(response);
            var format = ChooseFormat(preferred, echoed, what);
            var version = ReadVersionHeader(response, what);
            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var parser = new SharingLineParser(format, what, _transport.Scrubber);
            var requireEndStream = echoed.IsTrue("includeendstreamaction");
            return new QueryPage(version, format, what, response,
                token => SharingLineStream.ReadAsync(stream, parser, requireEndStream, what, _transport.Scrubber, token));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private sealed record PageRequest(HttpMethod Method, string Url, Action<HttpRequestMessage>? Configure);

    private async IAsyncEnumerable<T> ListAsync<T>(string path, Func<JsonElement, JsonFields, T> map, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            var url = _transport.BaseUrl + path + PageQuery(token);
            var what = SharingTransport.Describe(HttpMethod.Get, url);
            var (items, next) = await ReadPageAsync(url, what, map, ct).ConfigureAwait(false);
            foreach (var item in items)
                yield return item;
            // A server that hands back the token it was given would have us fetch the same page forever.
            if (next is not null && next == token)
                throw new SharingProtocolException($"{what}: the server returned the same nextPageToken again; stopping to avoid an endless loop");
            token = next;
        }
        while (token is not null);
    }

    private async Task<(List<T> Items, string? Next)> ReadPageAsync<T>(string url, string what, Func<JsonElement, JsonFields, T> map, CancellationToken ct)
    {
        using var response = await _transport.SendAsync(HttpMethod.Get, url, null, ct).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, default, ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new SharingProtocolException($"{what}: the list response is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        using (document)
        {
            var fields = new JsonFields(what, null);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw fields.Fail("a list response must be a JSON object");
            var items = new List<T>();
            // "items" missing, null and [] all mean an empty page.
            if (root.TryGetProperty("items", out var array) && array.ValueKind != JsonValueKind.Null)
            {
                if (array.ValueKind != JsonValueKind.Array)
                    throw fields.Fail("field 'items' must be an array");
                foreach (var item in array.EnumerateArray())
                    items.Add(item.ValueKind == JsonValueKind.Object ? map(item, fields) : throw fields.Fail("every item must be an object"));
            }
            var next = fields.OptionalString(root, "nextPageToken");
            return (items, string.IsNullOrEmpty(next) ? null : next);
        }
    }

    private string PageQuery(string? token)
    {
        var parameters = new List<string>(2);
        if (_pageSize is { } size)
            parameters.Add("maxResults=" + size.ToString(CultureInfo.InvariantCulture));
        if (token is not null)
            parameters.Add("pageToken=" + Uri.EscapeDataString(token));
        return parameters.Count == 0 ? "" : "?" + string.Join('&', parameters);
    }

    private string TableUrl(TableAddress table, string operation) =>
        $"{_transport.BaseUrl}/shares/{Escape(table.Share)}/schemas/{Escape(table.Schema)}/tables/{Escape(table.Table)}/{operation}";

    private static string Escape(string name) => Uri.EscapeDataString(name);

    /// <summary>Applies the capability rules: no echo means parquet; a legacy parquet answer to a delta ask is fine, the reverse is not.</summary>
    private static ResponseFormat ChooseFormat(ResponseFormat asked, SharingCapabilities echoed, string what)
    {
        var got = echoed.Get("responseformat") switch
        {
            [] or ["parquet"] => ResponseFormat.Parquet,
            ["delta"] => ResponseFormat.Delta,
            var other => throw new SharingProtocolException(
                $"{what}: the server echoed responseformat={string.Join(',', other)}; expected exactly one of parquet or delta"),
        };
        if (asked == ResponseFormat.Parquet && got == ResponseFormat.Delta)
            throw new SharingProtocolException($"{what}: asked for the parquet format but the server answered in delta format");
        return got;
    }

    private static long ReadVersionHeader(HttpResponseMessage response, string what)
    {
        if (!response.Headers.TryGetValues(VersionHeader, out var values))
            throw new SharingProtocolException($"{what}: the response has no {VersionHeader} header");
        var text = string.Join(',', values).Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new SharingProtocolException($"{what}: the {VersionHeader} header is not a table version");
        return version;
    }
}
