using System.Buffers;
using System.Text.Json;

namespace ReplicaSync.Sharing;

/// <summary>The JSON body of a query call; unset fields are left out, so an empty request is <c>{}</c> (latest snapshot).</summary>
public sealed record QueryRequest
{
    /// <summary>Time travel to this version (needs history sharing).</summary>
    public long? Version { get; init; }

    /// <summary>Time travel to the version current at this instant (needs history sharing).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Ask for the add/remove changes from this version on instead of a snapshot.</summary>
    public long? StartingVersion { get; init; }

    /// <summary>Last version of a <see cref="StartingVersion"/> range (inclusive).</summary>
    public long? EndingVersion { get; init; }

    /// <summary>With <see cref="StartingVersion"/> in delta format: also return protocol lines for protocol changes in the range.</summary>
    public bool IncludeHistoricalProtocol { get; init; }

    /// <summary>Page size in files; the response then ends with a next-page token.</summary>
    public int? MaxFiles { get; init; }

    /// <summary>Token from the previous page's endStreamAction; every other field must stay unchanged.</summary>
    public string? PageToken { get; init; }

    /// <summary>Ask for a refresh token on a latest-snapshot query, to re-sign the same files later.</summary>
    public bool? IncludeRefreshToken { get; init; }

    /// <summary>Re-query the snapshot pinned by this token to get fresh URLs for the same files.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>
    /// The request for the page that <paramref name="pageToken"/> continues (this request itself for the first page):
    /// every field unchanged except the refresh fields, which servers refuse together with a page token.
    /// </summary>
    internal QueryRequest ForPage(string? pageToken) =>
        pageToken is null ? this : this with { PageToken = pageToken, IncludeRefreshToken = null, RefreshToken = null };

    /// <summary>The request body as UTF-8 JSON with camelCase names.</summary>
    internal byte[] ToJsonUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (Version is { } version)
                writer.WriteNumber("version", version);
            if (Timestamp is { } timestamp)
                writer.WriteString("timestamp", IsoTimestamp.Format(timestamp));
            if (StartingVersion is { } starting)
                writer.WriteNumber("startingVersion", starting);
            if (EndingVersion is { } ending)
                writer.WriteNumber("endingVersion", ending);
            if (IncludeHistoricalProtocol)
                writer.WriteBoolean("includeHistoricalProtocol", true);
            if (MaxFiles is { } maxFiles)
                writer.WriteNumber("maxFiles", maxFiles);
            if (PageToken is { } pageToken)
                writer.WriteString("pageToken", pageToken);
            if (IncludeRefreshToken == true)
                writer.WriteBoolean("includeRefreshToken", true);
            if (RefreshToken is { } refreshToken)
                writer.WriteString("refreshToken", refreshToken);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
