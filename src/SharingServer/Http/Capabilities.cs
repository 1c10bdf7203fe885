using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The <c>delta-sharing-capabilities</c> request header: <c>key=v1,v2;key2=v</c>, keys and values case-insensitive.
/// </summary>
internal sealed class Capabilities
{
    public const string HeaderName = "delta-sharing-capabilities";

    private readonly Dictionary<string, HashSet<string>> _values = new(StringComparer.Ordinal);

    public static Capabilities From(HttpRequest request)
    {
        var caps = new Capabilities();
        foreach (var header in request.Headers[HeaderName])
        {
            foreach (var pair in (header ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = pair.IndexOf('=');
                var key = (eq < 0 ? pair : pair[..eq]).Trim().ToLowerInvariant();
                if (key.Length == 0)
                    continue;
                if (!caps._values.TryGetValue(key, out var set))
                    caps._values[key] = set = new HashSet<string>(StringComparer.Ordinal);
                if (eq >= 0)
                {
                    foreach (var value in pair[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        set.Add(value.ToLowerInvariant());
                }
            }
        }
        return caps;
    }

    /// <summary>The lower-cased values of <paramref name="key"/>, or null when the key was not sent.</summary>
    public IReadOnlySet<string>? Get(string key) => _values.GetValueOrDefault(key);

    public bool IncludeEndStreamAction => Get("includeendstreamaction")?.Contains("true") == true;
}
