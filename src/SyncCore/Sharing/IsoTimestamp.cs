using System.Globalization;

namespace ReplicaSync.Sharing;

/// <summary>Formats timestamps the way the reference server parses them (ISO_OFFSET_DATE_TIME, UTC, <c>Z</c>).</summary>
internal static class IsoTimestamp
{
    /// <summary><c>yyyy-MM-ddTHH:mm:ssZ</c>, with a fraction only when the value has one.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
