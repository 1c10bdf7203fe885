using Microsoft.AspNetCore.Http;
using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>The two NDJSON response formats of the protocol.</summary>
internal enum ResponseFormat
{
    Parquet,
    Delta,
}

/// <summary>
/// How one NDJSON response is written: format (from <c>delta-sharing-capabilities</c>), file id hash (from
/// <c>fileidhash</c>) and whether the client wants a closing <c>endStreamAction</c>.
/// </summary>
internal sealed record ResponseOptions(ResponseFormat Format, bool Sha256Ids, string? FileIdHashEcho, bool IncludeEndStreamAction)
{
    public const string FileIdHashHeader = "fileidhash";

    /// <summary>
    /// Picks the format for a table state. A single requested format is used as asked; from a list, parquet is
    /// chosen when the table allows it (as the reference server does). Parquet-only clients get 400 for tables
    /// with reader version &gt; 1, column mapping or deletion vectors.
    /// </summary>
    public static ResponseOptions Negotiate(HttpRequest request, Protocol protocol, Metadata metadata)
    {
        var caps = Capabilities.From(request);
        var requested = caps.Get("responseformat");
        var acceptsParquet = requested is null || requested.Contains("parquet");
        var acceptsDelta = requested?.Contains("delta") == true;
        if (!acceptsParquet && !acceptsDelta)
            throw SharingException.InvalidParameter($"unsupported responseformat '{string.Join(",", requested!)}': use parquet or delta");

        var blocker = TableFeatures.ParquetBlocker(protocol, metadata);
        if (blocker is not null && !acceptsDelta)
            throw SharingException.Unsupported($"Unsupported Delta Table Properties: {blocker}; ask for responseformat=delta");
        var format = acceptsParquet && blocker is null ? ResponseFormat.Parquet : ResponseFormat.Delta;

        string? echo = null;
        var sha256 = format == ResponseFormat.Delta;
        if (request.Headers.TryGetValue(FileIdHashHeader, out var hashHeader))
        {
            echo = hashHeader.ToString().Trim().ToLowerInvariant();
            sha256 = echo switch
            {
                "parquet" => false,
                "delta" => true,
                _ => throw SharingException.InvalidParameter($"unsupported {FileIdHashHeader} '{hashHeader}': use parquet or delta"),
            };
        }
        return new ResponseOptions(format, sha256, echo, caps.IncludeEndStreamAction);
    }

    /// <summary>Echoes the chosen format and honoured capabilities, plus the file id hash when one was asked for.</summary>
    public void WriteHeaders(HttpResponse response)
    {
        var caps = "responseformat=" + (Format == ResponseFormat.Delta ? "delta" : "parquet");
        if (IncludeEndStreamAction)
            caps += ";includeendstreamaction=true";
        response.Headers[Capabilities.HeaderName] = caps;
        if (FileIdHashEcho is not null)
            response.Headers[FileIdHashHeader] = FileIdHashEcho;
    }
}
