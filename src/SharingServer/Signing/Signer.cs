using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ReplicaSync.SharingServer;

/// <summary>
/// HMAC-SHA256 signatures for pre-signed file URLs and for the opaque tokens the server hands out. Every use
/// signs with its own purpose prefix so a value signed for one purpose is never accepted for another.
/// </summary>
internal sealed class Signer
{
    // One random key per process: URLs and tokens survive a server restart inside the same process (tests,
    // the embedded demo) but not a new process, unless a key is configured.
    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);

    private readonly byte[] _key;

    public Signer(string? configuredKey)
    {
        _key = configuredKey is null ? ProcessKey : SHA256.HashData(Encoding.UTF8.GetBytes(configuredKey));
    }

    /// <summary>Lower-case hex HMAC of <paramref name="data"/> for <paramref name="purpose"/>.</summary>
    public string SignHex(string purpose, string data) => Convert.ToHexStringLower(Mac(purpose, data));

    public bool VerifyHex(string purpose, string data, string? hex)
    {
        if (hex is null || hex.Length != 64)
            return false;
        byte[] given;
        try { given = Convert.FromHexString(hex); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(given, Mac(purpose, data));
    }

    /// <summary>An opaque token: base64url(JSON payload) "." base64url(HMAC).</summary>
    public string EncodeToken<T>(string purpose, T payload, JsonTypeInfo<T> contract)
    {
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload, contract));
        return body + "." + Base64Url(Mac(purpose, body));
    }

    /// <summary>The payload of a token made by <see cref="EncodeToken"/> for the same purpose, or null when forged or garbled.</summary>
    public T? DecodeToken<T>(string purpose, string? token, JsonTypeInfo<T> contract) where T : class
    {
        var dot = token?.IndexOf('.') ?? -1;
        if (token is null || dot <= 0)
            return null;
        var body = token[..dot];
        try
        {
            var mac = Convert.FromBase64String(FromBase64Url(token[(dot + 1)..]));
            if (!CryptographicOperations.FixedTimeEquals(mac, Mac(purpose, body)))
                return null;
            return JsonSerializer.Deserialize(Convert.FromBase64String(FromBase64Url(body)), contract);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private byte[] Mac(string purpose, string data) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\n" + data));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return (s.Length % 4) switch { 2 => s + "==", 3 => s + "=", _ => s };
    }
}
