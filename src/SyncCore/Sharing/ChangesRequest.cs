using System.Globalization;

namespace ReplicaSync.Sharing;

/// <summary>The parameters of a change data feed call (<c>GET …/changes</c>) for the inclusive versions [start, end].</summary>
public sealed record ChangesRequest(long StartingVersion, long EndingVersion)
{
    /// <summary>Also return a metaData line for every metadata change after the start (the head then describes the start).</summary>
    public bool IncludeHistoricalMetadata { get; init; } = true;

    /// <summary>Page size in files (<c>maxFiles</c>); the client then follows each page's <c>nextPageToken</c>.</summary>
    public int? MaxFiles { get; init; }

    /// <summary>The URL query string, starting with '?', for the page <paramref name="pageToken"/> continues (null: the first).</summary>
    internal string ToQueryString(string? pageToken = null) =>
        "?startingVersion=" + StartingVersion.ToString(CultureInfo.InvariantCulture) +
        "&endingVersion=" + EndingVersion.ToString(CultureInfo.InvariantCulture) +
        (IncludeHistoricalMetadata ? "&includeHistoricalMetadata=true" : "") +
        (MaxFiles is { } maxFiles ? "&maxFiles=" + maxFiles.ToString(CultureInfo.InvariantCulture) : "") +
        (pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken));
}
