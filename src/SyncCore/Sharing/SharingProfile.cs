using System.Globalization;
using System.Text.Json;

namespace ReplicaSync.Sharing;

/// <summary>
/// A Delta Sharing profile (credential file): where the server is and how to authenticate, with a bearer token
/// (<see cref="BearerToken"/>) or OAuth client credentials exchanged for short-lived tokens (<see cref="OAuth"/>).
/// </summary>
public sealed record SharingProfile(int ShareCredentialsVersion, Uri Endpoint, string? BearerToken, DateTimeOffset? ExpirationTime)
{
    private const int MaxSupportedVersion = 2;
    private const string BearerType = "bearer_token";
    private const string OAuthType = "oauth_client_credentials";

    // Profile types other clients accept; named so the user learns it is a missing feature rather than a typo.
    private static readonly string[] UnsupportedTypes = ["basic", "oauth_jwt_bearer_private_key_jwt"];

    /// <summary>The client credentials of an <c>oauth_client_credentials</c> profile; null for a bearer-token profile.</summary>
    public OAuthClientCredentials? OAuth { get; init; }

    /// <summary>Reads and parses the profile file at <paramref name="path"/>.</summary>
    public static SharingProfile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SharingProfileException($"{path}: cannot read the profile file ({e.Message})", null, e);
        }
        return Parse(json, path);
    }

    /// <summary>Parses profile JSON; <paramref name="source"/> (usually the file name) prefixes every error message.</summary>
    public static SharingProfile Parse(string json, string source) => Parse(json, source, DateTimeOffset.UtcNow);

    internal static SharingProfile Parse(string json, string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            // Only the position, and no inner exception: the parser's text can quote characters of the token.
            throw new SharingProfileException(
                $"{source}: the profile is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SharingProfileException($"{source}: the profile must be a JSON object");
            var version = ReadVersion(root, source);
            var type = ReadType(root, source);
            var endpoint = ReadHttpUrl(root, "endpoint", source);
            if (type == OAuthType)
            {
                if (version < 2)
                    throw Error(source, "shareCredentialsVersion", $"is {version}, but an '{OAuthType}' profile needs version 2");
                return new SharingProfile(version, endpoint, null, null) { OAuth = ReadOAuth(root, source) };
            }
            var token = RequiredString(root, "bearerToken", source);
            var expiration = ReadExpiration(root, source, now);
            return new SharingProfile(version, endpoint, token, expiration);
        }
    }

    /// <summary>True when the profile has an expiration time at or before <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => ExpirationTime <= now;

    /// <summary>Describes the profile with the token and client secret masked, so it can be logged.</summary>
    public override string ToString() =>
        $"SharingProfile {{ ShareCredentialsVersion = {ShareCredentialsVersion}, Endpoint = {UrlRedactor.Redact(Endpoint)}, " +
        (OAuth is { } oauth ? $"OAuth = {oauth} }}" :
            $"BearerToken = ***, ExpirationTime = {ExpirationTime?.ToString("O", CultureInfo.InvariantCulture) ?? "none"} }}");

    private static int ReadVersion(JsonElement root, string source)
    {
        const string field = "shareCredentialsVersion";
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            throw Error(source, field, "is missing");
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var version))
            throw Error(source, field, "must be an integer");
        if (version > MaxSupportedVersion)
            throw Error(source, field, $"is {version}, but this ReplicaSync reads versions 1 to {MaxSupportedVersion}; upgrade ReplicaSync to use this profile");
        if (version < 1)
            throw Error(source, field, $"is {version}; supported versions are 1 to {MaxSupportedVersion}");
        return version;
    }

    private static string ReadType(JsonElement root, string source)
    {
        const string field = "type";
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return BearerType; // a missing type means bearer_token, in version 1 and 2 alike
        if (value.ValueKind != JsonValueKind.String)
            throw Error(source, field, "must be a string");
        var type = value.GetString()!;
        if (type is BearerType or OAuthType)
            return type;
        if (UnsupportedTypes.Contains(type))
            throw Error(source, field, $"is '{type}', which is not supported yet; use a {BearerType} or {OAuthType} profile");
        throw Error(source, field, $"is unknown; expected '{BearerType}' or '{OAuthType}'");
    }

    private static OAuthClientCredentials ReadOAuth(JsonElement root, string source)
    {
        var tokenEndpoint = ReadHttpUrl(root, "tokenEndpoint", source);
        var clientId = RequiredString(root, "clientId", source);
        var clientSecret = RequiredString(root, "clientSecret", source);
        string? scope = null;
        if (root.TryGetProperty("scope", out var value) && value.ValueKind != JsonValueKind.Null)
            scope = value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(source, "scope", "must be a string");
        return new OAuthClientCredentials(tokenEndpoint, clientId, clientSecret, string.IsNullOrWhiteSpace(scope) ? null : scope);
    }

    private static Uri ReadHttpUrl(JsonElement root, string field, string source)
    {
        var text = RequiredString(root, field, source);
        var trimmed = text.EndsWith('/') ? text[..^1] : text;
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw Error(source, field, "must be an absolute http or https URL");
        // Request paths are appended to the endpoint, which a query or fragment would swallow; and since URLs are
        // printed without their query, a token endpoint with one would be shown as a different address.
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw Error(source, field, "must not have a query string or fragment");
        return uri;
    }

    private static DateTimeOffset? ReadExpiration(JsonElement root, string source, DateTimeOffset now)
    {
        const string field = "expirationTime";
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String ||
            !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiration))
            throw Error(source, field, "must be an ISO-8601 timestamp such as 2030-01-31T00:00:00Z");
        if (expiration <= now)
            throw Error(source, field, $"is {expiration.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z: the bearer token has expired; ask the provider for a new profile");
        return expiration;
    }

    private static string RequiredString(JsonElement root, string field, string source)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            throw Error(source, field, "is missing");
        if (value.ValueKind != JsonValueKind.String)
            throw Error(source, field, "must be a string");
        var text = value.GetString()!;
        if (text.Length == 0)
            throw Error(source, field, "is empty");
        return text;
    }

    private static SharingProfileException Error(string source, string field, string problem) =>
        new($"{source}: field '{field}' {problem}", field);
}
