using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// The Blob service's SharedKey scheme (version 2009-09-19 and later), as a pure function of the request: the
/// string to sign is the verb, eleven standard headers (Content-Length empty when 0, Date empty because x-ms-date is
/// sent), the sorted <c>x-ms-*</c> headers, then <c>/account/path</c> and one <c>name:values</c> line per sorted,
/// lower-cased query parameter with decoded values. With path-style (emulator) URLs the account appears twice in
/// the resource, once prepended and once as the first path segment.
/// </summary>
internal static class SharedKeySigner
{
    private static readonly string[] StandardHeaders =
    [
        "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
        "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
    ];

    /// <summary>
    /// The string to sign for a request. <paramref name="headers"/> are all request and content headers as sent
    /// (names in any case); <paramref name="contentLength"/> is the body length, null or 0 for none.
    /// </summary>
    public static string StringToSign(string method, Uri uri, string account, IEnumerable<KeyValuePair<string, string>> headers, long? contentLength)
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
            byName[name] = byName.TryGetValue(name, out var earlier) ? earlier + "," + value : value;

        var text = new StringBuilder(256);
        text.Append(method.ToUpperInvariant()).Append('\n');
        foreach (var name in StandardHeaders)
        {
            var value = name switch
            {
                "Content-Length" => contentLength is > 0 ? contentLength.Value.ToString(CultureInfo.InvariantCulture) : "",
                "Date" when byName.ContainsKey("x-ms-date") => "",
                _ => byName.GetValueOrDefault(name, ""),
            };
            text.Append(value).Append('\n');
        }

        foreach (var name in byName.Keys.Where(n => n.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(n => n.ToLowerInvariant()).Order(StringComparer.Ordinal))
            text.Append(name).Append(':').Append(byName[name].Trim()).Append('\n');

        text.Append('/').Append(account).Append(uri.AbsolutePath);
        foreach (var (name, values) in QueryParameters(uri.Query).OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append('\n').Append(name).Append(':').Append(string.Join(',', values.Order(StringComparer.Ordinal)));
        return text.ToString();
    }

    /// <summary>Base64 HMAC-SHA256 of the string to sign under the decoded account key.</summary>
    public static string Sign(string stringToSign, ReadOnlySpan<byte> key) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The Authorization header value for a request, its standard and x-ms headers already set.</summary>
    public static string Authorization(HttpRequestMessage request, string account, ReadOnlySpan<byte> key)
    {
        var headers = request.Headers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v)));
        if (request.Content is { } content)
            headers = headers.Concat(content.Headers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v))));
        var toSign = StringToSign(request.Method.Method, request.RequestUri!, account, headers, request.Content?.Headers.ContentLength);
        return $"SharedKey {account}:{Sign(toSign, key)}";
    }

    private static Dictionary<string, List<string>> QueryParameters(string query)
    {
        var parameters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (!parameters.TryGetValue(name, out var values))
                parameters[name] = values = [];
            values.Add(value);
        }
        return parameters;
    }
}
