using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The query string of <c>GET …/changes</c>: a start (<c>startingVersion</c> or <c>startingTimestamp</c>), an optional
/// end (<c>endingVersion</c> or <c>endingTimestamp</c>) and whether historical metaData/protocol lines are wanted.
/// </summary>
internal sealed record ChangesRequest(
    long? StartingVersion,
    string? StartingTimestamp,
    long? EndingVersion,
    string? EndingTimestamp,
    bool IncludeHistoricalMetadata,
    bool IncludeHistoricalProtocol)
{
    /// <summary>Parses and checks the parameters; every problem is a 400 naming the parameter.</summary>
    public static ChangesRequest Read(HttpRequest request)
    {
        var parsed = new ChangesRequest(
            RequestParameters.Long(request, "startingVersion"),
            RequestParameters.String(request, "startingTimestamp"),
            RequestParameters.Long(request, "endingVersion"),
            RequestParameters.String(request, "endingTimestamp"),
            Flag(request, "includeHistoricalMetadata"),
            Flag(request, "includeHistoricalProtocol"));
        if (parsed.StartingVersion is null == parsed.StartingTimestamp is null)
            throw SharingException.InvalidParameter("exactly one of startingVersion and startingTimestamp must be set");
        if (parsed.EndingVersion is not null && parsed.EndingTimestamp is not null)
            throw SharingException.InvalidParameter("only one of endingVersion and endingTimestamp may be set");
        RequestParameters.RequireNonNegative("startingVersion", parsed.StartingVersion);
        RequestParameters.RequireNonNegative("endingVersion", parsed.EndingVersion);
        // Paging /changes is not implemented here; answering a paged request in one piece would break its contract.
        if (RequestParameters.String(request, "maxFiles") is not null || RequestParameters.String(request, "pageToken") is not null)
            throw SharingException.Unsupported("maxFiles and pageToken are not supported on /changes by this server");
        return parsed;
    }

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
