using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The JSON body of <c>POST …/query</c>. Fields are read in camelCase and, like the reference server's protobuf
/// parsing, also in snake_case. Hints are accepted and ignored (they are best-effort by protocol).
/// </summary>
internal sealed class QueryRequest
{
    public long? Version { get; private init; }
    public string? Timestamp { get; private init; }
    public long? StartingVersion { get; private init; }
    public long? EndingVersion { get; private init; }
    public bool IncludeHistoricalProtocol { get; private init; }
    public int? MaxFiles { get; private init; }
    public string? PageToken { get; private init; }
    public bool IncludeRefreshToken { get; private init; }
    public string? RefreshToken { get; private init; }
    public IReadOnlyList<string> PredicateHints { get; private init; } = [];
    public string? JsonPredicateHints { get; private init; }
    public long? LimitHint { get; private init; }

    /// <summary>True for a query of the latest snapshot, the only kind a refresh token applies to.</summary>
    public bool IsLatestSnapshot => Version is null && Timestamp is null && StartingVersion is null;

    public static async Task<QueryRequest> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            var bytes = buffer.ToArray();
            // The protocol asks clients without parameters to send {}, but an empty body means the same.
            if (bytes.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
                return new QueryRequest();
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw SharingException.Malformed($"the request body is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
                throw SharingException.Malformed("the request body must be a JSON object");
            return new QueryRequest
            {
                Version = Long(body, "version", "version"),
                Timestamp = Str(body, "timestamp", "timestamp"),
                StartingVersion = Long(body, "startingVersion", "starting_version"),
                EndingVersion = Long(body, "endingVersion", "ending_version"),
                IncludeHistoricalProtocol = Bool(body, "includeHistoricalProtocol", "include_historical_protocol"),
                MaxFiles = Long(body, "maxFiles", "max_files") switch
                {
                    null => null,
                    var v and >= int.MinValue and <= int.MaxValue => (int)v,
                    _ => throw SharingException.InvalidParameter("maxFiles is out of range"),
                },
                PageToken = Str(body, "pageToken", "page_token"),
                IncludeRefreshToken = Bool(body, "includeRefreshToken", "include_refresh_token"),
                RefreshToken = Str(body, "refreshToken", "refresh_token"),
                PredicateHints = Strings(body, "predicateHints", "predicate_hints"),
                JsonPredicateHints = Str(body, "jsonPredicateHints", "json_predicate_hints"),
                LimitHint = Long(body, "limitHint", "limit_hint"),
            };
        }
    }

    /// <summary>Checks the parameter combinations the protocol forbids (all 400).</summary>
    public void Validate(SharedTable table)
    {
        if (new object?[] { Version, Timestamp, StartingVersion }.Count(v => v is not null) > 1)
            throw SharingException.InvalidParameter("only one of version, timestamp and startingVersion may be set");
        RequestParameters.RequireNonNegative("version", Version);
        RequestParameters.RequireNonNegative("startingVersion", StartingVersion);
        RequestParameters.RequireNonNegative("endingVersion", EndingVersion);
        if (EndingVersion is not null && StartingVersion is null)
            throw SharingException.InvalidParameter("endingVersion needs startingVersion");
        if (StartingVersion > EndingVersion)
            throw SharingException.InvalidParameter($"startingVersion {StartingVersion} is after endingVersion {EndingVersion}");
        if (MaxFiles <= 0)
            throw SharingException.InvalidParameter("maxFiles must be positive");
        if (LimitHint < 0)
            throw SharingException.InvalidParameter("limitHint must not be negative");
        if ((IncludeRefreshToken || RefreshToken is not null) && !IsLatestSnapshot)
            throw SharingException.InvalidParameter("includeRefreshToken and refreshToken apply only to queries of the latest snapshot");
        if ((IncludeRefreshToken || RefreshToken is not null) && PageToken is not null)
            throw SharingException.InvalidParameter("includeRefreshToken and refreshToken cannot be combined with pageToken");
        if (Version is not null)
            table.RequireHistory("version");
        if (Timestamp is not null)
            table.RequireHistory("timestamp");
        if (StartingVersion is not null)
            table.RequireHistory("startingVersion");
    }

    /// <summary>
    /// A digest of every parameter that must not change between pages (including the format headers, which
    /// change file ids and line shapes), so a page token only continues the query it came from.
    /// </summary>
    public string Checksum(HttpRequest request) => Digest(request,
        "query", Version?.ToString(CultureInfo.InvariantCulture), Timestamp, StartingVersion?.ToString(CultureInfo.InvariantCulture),
        EndingVersion?.ToString(CultureInfo.InvariantCulture), IncludeHistoricalProtocol.ToString(),
        string.Join("\u0002", PredicateHints), JsonPredicateHints, LimitHint?.ToString(CultureInfo.InvariantCulture));

    /// <summary>A paging request's parameters for the page size of a /changes call, which are not in a body.</summary>
    public static QueryRequest Paging(int? maxFiles) => new() { MaxFiles = maxFiles };

    /// <summary>
    /// The SHA-256 of <paramref name="fields"/> plus the format headers of <paramref name="request"/>, which change file ids
    /// and line shapes: what a page token binds.
    /// </summary>
    public static string Digest(HttpRequest request, params string?[] fields)
    {
        var text = string.Join("\u0001", fields.Append(
            Capabilities.From(request).Get("responseformat") is { } f ? string.Join(",", f.Order(StringComparer.Ordinal)) : "").Append(
            request.Headers[ResponseOptions.FileIdHashHeader].ToString().ToLowerInvariant()));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static JsonElement? Field(JsonElement body, string camel, string snake)
    {
        if (body.TryGetProperty(camel, out var value) || body.TryGetProperty(snake, out value))
            return value.ValueKind == JsonValueKind.Null ? null : value;
        return null;
    }

    // Protobuf JSON writes 64-bit integers as strings, so both forms are accepted.
    private static long? Long(JsonElement body, string camel, string snake) => Field(body, camel, snake) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var v) => v,
        { ValueKind: JsonValueKind.String } s when long.TryParse(s.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) => v,
        _ => throw SharingException.Malformed($"{camel} must be an integer"),
    };

    private static string? Str(JsonElement body, string camel, string snake) => Field(body, camel, snake) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        _ => throw SharingException.Malformed($"{camel} must be a string"),
    };

    private static bool Bool(JsonElement body, string camel, string snake) => Field(body, camel, snake) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw SharingException.Malformed($"{camel} must be a boolean"),
    };

    private static IReadOnlyList<string> Strings(JsonElement body, string camel, string snake) => Field(body, camel, snake) switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } a when a.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
            a.EnumerateArray().Select(e => e.GetString()!).ToList(),
        _ => throw SharingException.Malformed($"{camel} must be an array of strings"),
    };
}
