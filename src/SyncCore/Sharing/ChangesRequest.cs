using System.Globalization;

namespace ReplicaSync.Sharing;

/// <summary>The parameters of a change data feed call (<c>GET …/changes</c>) for the inclusive versions [start, end].</summary>
public sealed record ChangesRequest(long StartingVersion, long EndingVersion)
{
    /// <summary>Also return a metaData line for every metadata change after the start (the head then describes the start).</summary>
    public bool IncludeHistoricalMetadata { get; init; } = true;

    /// <summary>The URL query string, starting with '?'.</summary>
    internal string ToQueryString() =>
        "?startingVersion=" + StartingVersion.ToString(CultureInfo.InvariantCulture) +
        "&endingVersion=" + EndingVersion.ToString(CultureInfo.InvariantCulture) +
        (IncludeHistoricalMetadata ? "&includeHistoricalMetadata=true" : "");
}
