using Microsoft.AspNetCore.Http;
using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>
/// One query being answered. <see cref="Begin"/> fixes the format and headers and opens the NDJSON stream;
/// after that, failures can no longer change the status and must be reported inside the stream.
/// </summary>
internal sealed class QueryContext(ServerContext server, HttpContext http, SharedTable table, QueryRequest request, FileUrlSigner urlSigner, string? checksum = null) : IDisposable
{
    private NdjsonWriter? _output;
    private LineWriter? _lines;

    public ServerContext Server { get; } = server;
    public HttpContext Http { get; } = http;
    public SharedTable Table { get; } = table;
    public QueryRequest Request { get; } = request;
    /// <summary>What a page token of this query binds: the body's parameters, or <paramref name="checksum"/> when given.</summary>
    public string Checksum { get; } = checksum ?? request.Checksum(http.Request);
    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>Files per page: maxFiles capped by the server's limit, or unlimited without maxFiles.</summary>
    public int PageSize => Request.MaxFiles is { } max ? Math.Min(max, Server.Config.MaxFilesPerPage) : int.MaxValue;

    public ResponseOptions? Options { get; private set; }
    public bool Started => _lines is not null;
    public LineWriter Lines => _lines ?? throw new InvalidOperationException("the response has not begun");
    public NdjsonWriter Output => _output ?? throw new InvalidOperationException("the response has not begun");

    /// <summary>Negotiates the format for the table state, writes the headers and opens the stream.</summary>
    public void Begin(Protocol protocol, Metadata metadata, long headerVersion)
    {
        var options = ResponseOptions.Negotiate(Http.Request, protocol, metadata);
        var response = Http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = HttpResponses.NdjsonContentType;
        response.Headers[HttpResponses.TableVersionHeader] = headerVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options.WriteHeaders(response);
        Options = options;
        _output = new NdjsonWriter(response);
        _lines = LineWriter.Create(_output, urlSigner, options, Table);
    }

    /// <summary>Whether the response must end with an endStreamAction (the reference server's rule).</summary>
    public bool WantsEndStream => Request.MaxFiles is not null || Request.IncludeRefreshToken
        || Request.RefreshToken is not null || Options?.IncludeEndStreamAction == true;

    public void Dispose() => _output?.Dispose();
}
