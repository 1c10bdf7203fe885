using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The query string of <c>GET …/changes</c>: a start (<c>startingVersion</c> or <c>startingTimestamp</c>), an optional
/// end (<c>endingVersion</c> or <c>endingTimestamp</c>), whether historical metaData/protocol lines are wanted, and
/// paging (<c>maxFiles</c>, <c>pageToken</c>).
/// </summary>
internal sealed record ChangesRequest(
    long? StartingVersion,
    string? StartingTimestamp,
    long? EndingVersion,
    string? EndingTimestamp,
    bool IncludeHistoricalMetadata,
    bool IncludeHistoricalProtocol)
{
    public int? MaxFiles { get; private init; }
    public string? PageToken { get; private init; }

    /// <summary>Parses and checks the parameters; every problem is a 400 naming the parameter.</summary>
    public static ChangesRequest Read(HttpRequest request)
    {
        var parsed = new ChangesRequest(
            RequestParameters.Long(request, "startingVersion"),
            RequestParameters.String(request, "startingTimestamp"),
            RequestParameters.Long(request, "endingVersion"),
            RequestParameters.String(request, "endingTimestamp"),
            Flag(request, "includeHistoricalMetadata"),
            Flag(request, "includeHistoricalProtocol"))
        {
            MaxFiles = RequestParameters.Int(request, "maxFiles"),
            PageToken = RequestParameters.String(request, "pageToken"),
        };
        if (parsed.StartingVersion is null == parsed.StartingTimestamp is null)
            throw SharingException.InvalidParameter("exactly one of startingVersion and startingTimestamp must be set");
        if (parsed.EndingVersion is not null && parsed.EndingTimestamp is not null)
            throw SharingException.InvalidParameter("only one of endingVersion and endingTimestamp may be set");
        RequestParameters.RequireNonNegative("startingVersion", parsed.StartingVersion);
        RequestParameters.RequireNonNegative("endingVersion", parsed.EndingVersion);
        if (parsed.MaxFiles <= 0)
            throw SharingException.InvalidParameter("maxFiles must be positive");
        return parsed;
    }

    /// <summary>A digest of every parameter that must not change between pages (see <see cref="QueryRequest.Checksum"/>).</summary>
    public string Checksum(HttpRequest request) => QueryRequest.Digest(request,
        "changes", StartingVersion?.ToString(CultureInfo.InvariantCulture), StartingTimestamp, EndingVersion?.ToString(CultureInfo.InvariantCulture),
        EndingTimestamp, IncludeHistoricalMetadata.ToString(), IncludeHistoricalProtocol.ToString());

    /// <summary>The inclusive version range the request names, resolved against the table; the end is clamped to the latest version.</summary>
    public async Task<(long Start, long End)> ResolveAsync(SharedTable table, long latest, CancellationToken ct)
    {
        var start = StartingVersion
            ?? await table.VersionAtOrAfterAsync(RequestParameters.Timestamp("startingTimestamp", StartingTimestamp!), ct);
        var end = EndingVersion
            ?? (EndingTimestamp is { } text ? await table.VersionAsOfAsync(RequestParameters.Timestamp("endingTimestamp", text), ct) : latest);
        if (start > latest)
            throw SharingException.InvalidParameter($"startingVersion {start} is after the latest version {latest}");
        end = Math.Min(end, latest);
        if (start > end)
            throw SharingException.InvalidParameter($"startingVersion {start} is after endingVersion {end}");
        return (start, end);
    }

    private static bool Flag(HttpRequest request, string name) => RequestParameters.String(request, name) switch
    {
        null => false,
        var v when v.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        var v when v.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        _ => throw SharingException.InvalidParameter($"{name} must be true or false"),
    };
}
