using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>Parses query-string parameters and protocol timestamps, turning bad input into 400s.</summary>
internal static class RequestParameters
{
    public static string? String(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public static long? Long(HttpRequest request, string name)
    {
        var text = String(request, name);
        if (text is null)
            return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw SharingException.InvalidParameter($"{name} must be an integer");
    }

    public static int? Int(HttpRequest request, string name)
    {
        var value = Long(request, name);
        return value is null or (>= int.MinValue and <= int.MaxValue)
            ? (int?)value
            : throw SharingException.InvalidParameter($"{name} is out of range");
    }

    /// <summary>A version parameter: a non-negative integer.</summary>
    public static void RequireNonNegative(string name, long? value)
    {
        if (value < 0)
            throw SharingException.InvalidParameter($"{name} must not be negative");
    }

    /// <summary>
    /// An ISO-8601 timestamp with an offset (Java's ISO_OFFSET_DATE_TIME, e.g. <c>2022-01-01T00:00:00Z</c>) in unix ms.
    /// </summary>
    public static long Timestamp(string name, string text)
    {
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (hasOffset && DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            return value.ToUnixTimeMilliseconds();
        throw SharingException.InvalidParameter($"{name} '{text}' is not an ISO-8601 timestamp with offset, e.g. 2022-01-01T00:00:00Z");
    }
}
