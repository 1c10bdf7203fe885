namespace ReplicaSync.Sharing;

/// <summary>The <c>delta-sharing-capabilities</c> header: <c>key=v1,v2;key2=v</c>, keys and values case-insensitive.</summary>
internal sealed class SharingCapabilities
{
    public const string HeaderName = "delta-sharing-capabilities";

    private readonly Dictionary<string, string[]> _values;

    private SharingCapabilities(Dictionary<string, string[]> values) => _values = values;

    /// <summary>Parses the header value; null or empty means no capabilities.</summary>
    public static SharingCapabilities Parse(string? header)
    {
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var entry in (header ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = entry.IndexOf('=');
            var key = (eq < 0 ? entry : entry[..eq]).Trim().ToLowerInvariant();
            var list = eq < 0 ? "" : entry[(eq + 1)..];
            values[key] = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => v.ToLowerInvariant())
                .ToArray();
        }
        return new SharingCapabilities(values);
    }

    /// <summary>The capabilities a response echoed; several header lines are joined as one list.</summary>
    public static SharingCapabilities FromResponse(HttpResponseMessage response) =>
        Parse(response.Headers.TryGetValues(HeaderName, out var lines) ? string.Join(';', lines) : null);

    /// <summary>The lower-cased values of <paramref name="key"/>; empty when absent.</summary>
    public IReadOnlyList<string> Get(string key) => _values.TryGetValue(key, out var v) ? v : [];

    /// <summary>True when <paramref name="key"/> is exactly <c>true</c>.</summary>
    public bool IsTrue(string key) => Get(key) is ["true"];
}
