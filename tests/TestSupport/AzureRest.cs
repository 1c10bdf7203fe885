using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace ReplicaSync.TestSupport;

/// <summary>
/// A tiny Blob REST client for checking what a store wrote, written independently of the store under test: its own
/// SharedKey signing (a second, plain transcription of the rules), its own URLs and XML reading. It also makes
/// service SAS tokens.
/// </summary>
public sealed class AzureRest(string serviceUrl, string account, string accountKey) : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly byte[] _key = Convert.FromBase64String(accountKey);

    /// <summary>Sends a SharedKey-signed request to <c>{serviceUrl}/{pathAndQuery}</c>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(method, $"{serviceUrl}/{pathAndQuery}");
        if (body is not null || method == HttpMethod.Put)
        {
            request.Content = new ByteArrayContent(body ?? []);
            request.Content.Headers.ContentLength = body?.Length ?? 0;
        }
        request.Headers.Add("x-ms-date", DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture));
        request.Headers.Add("x-ms-version", "2024-11-04");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKey {account}:{Signature(request)}");
        return await _http.SendAsync(request);
    }

    public async Task CreateContainerAsync(string container)
    {
        using var response = await SendAsync(HttpMethod.Put, $"{container}?restype=container");
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"creating container {container} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Every committed blob under <paramref name="prefix"/> with its size, paging with markers (small pages on purpose).</summary>
    public async Task<Dictionary<string, long>> ListAsync(string container, string prefix = "")
    {
        var blobs = new Dictionary<string, long>(StringComparer.Ordinal);
        var marker = "";
        do
        {
            using var response = await SendAsync(HttpMethod.Get,
                $"{container}?restype=container&comp=list&maxresults=7&prefix={Uri.EscapeDataString(prefix)}&marker={Uri.EscapeDataString(marker)}");
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"listing {container} gave {(int)response.StatusCode}: {text}");
            var root = XDocument.Parse(text).Root!;
            foreach (var blob in root.Element("Blobs")!.Elements("Blob"))
                blobs.Add(blob.Element("Name")!.Value, long.Parse(blob.Element("Properties")!.Element("Content-Length")!.Value, CultureInfo.InvariantCulture));
            marker = root.Element("NextMarker")?.Value ?? "";
        }
        while (marker.Length > 0);
        return blobs;
    }

    /// <summary>The blob's bytes, or null when it does not exist.</summary>
    public async Task<byte[]?> GetAsync(string container, string blob)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{container}/{EscapePath(blob)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"getting {container}/{blob} gave {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    public async Task PutAsync(string container, string blob, byte[] body)
    {
        using var response = await SendAsync(HttpMethod.Put, $"{container}/{EscapePath(blob)}", body, new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" });
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"putting {container}/{blob} gave {(int)response.StatusCode}");
    }

    /// <summary>The uncommitted block ids of a blob (Get Block List), in the order the service gives them.</summary>
    public async Task<List<string>> UncommittedBlocksAsync(string container, string blob)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{container}/{EscapePath(blob)}?comp=blocklist&blocklisttype=uncommitted");
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NotFound)
            return [];
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"block list of {container}/{blob} gave {(int)response.StatusCode}: {text}");
        return [.. XDocument.Parse(text).Descendants("UncommittedBlocks").Elements("Block").Select(b => b.Element("Name")!.Value)];
    }

    /// <summary>
    /// A service SAS (version 2022-11-02) for a container (<paramref name="blob"/> null, sr=c) or one blob (sr=b).
    /// String to sign: sp, st, se, /blob/account/container[/blob], si, sip, spr, sv, sr, then seven empty fields.
    /// </summary>
    public string ServiceSas(string container, string? blob, string permissions, DateTimeOffset expiry)
    {
        const string version = "2022-11-02";
        var resource = blob is null ? "c" : "b";
        var expires = expiry.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var canonical = $"/blob/{account}/{container}" + (blob is null ? "" : "/" + blob);
        var toSign = string.Join('\n', permissions, "", expires, canonical, "", "", "", version, resource, "", "", "", "", "", "", "");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(toSign)));
        return $"sv={version}&sr={resource}&sp={permissions}&se={Uri.EscapeDataString(expires)}&sig={Uri.EscapeDataString(signature)}";
    }

    public void Dispose() => _http.Dispose();

    private static string EscapePath(string blob) => string.Join('/', blob.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The SharedKey signature of a request as built (tests compare it with what a store sent).</summary>
    public string Signature(HttpRequestMessage request)
    {
        string Header(string name) =>
            request.Headers.TryGetValues(name, out var values) || (request.Content?.Headers.TryGetValues(name, out values) ?? false)
                ? string.Join(',', values!) : "";
        var length = request.Content?.Headers.ContentLength ?? 0;
        var lines = new List<string>
        {
            request.Method.Method, Header("Content-Encoding"), Header("Content-Language"), length == 0 ? "" : length.ToString(CultureInfo.InvariantCulture),
            Header("Content-MD5"), Header("Content-Type"), "", Header("If-Modified-Since"), Header("If-Match"), Header("If-None-Match"),
            Header("If-Unmodified-Since"), Header("Range"),
        };
        var canonicalHeaders = request.Headers.Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => $"{h.Key.ToLowerInvariant()}:{string.Join(',', h.Value).Trim()}")
            .Order(StringComparer.Ordinal);
        var uri = request.RequestUri!;
        var resource = new StringBuilder($"/{account}{uri.AbsolutePath}");
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .GroupBy(p => Uri.UnescapeDataString(p[0]).ToLowerInvariant(), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "")
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var parameter in query)
            resource.Append('\n').Append(parameter.Key).Append(':').Append(string.Join(',', parameter.Order(StringComparer.Ordinal)));
        var toSign = string.Join('\n', lines) + "\n" + string.Concat(canonicalHeaders.Select(h => h + "\n")) + resource;
        return Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(toSign)));
    }
}
