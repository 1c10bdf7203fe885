using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly;

namespace ReplicaSync.Sharing.Auth;

/// <summary>
/// One OAuth client-credentials grant (RFC 6749 §4.4): POSTs <c>grant_type=client_credentials</c> (and the scope) to the
/// token endpoint with the client id and secret as HTTP Basic, retrying 429, 5xx and connection failures, and reads
/// <c>access_token</c>, <c>expires_in</c> and <c>token_type</c>. Errors name the endpoint and status, never the secret or token.
/// </summary>
internal sealed class TokenExchange
{
    private readonly OAuthClientCredentials _credentials;
    private readonly HttpClient _http;
    private readonly SharingClientOptions _options;
    private readonly SecretScrubber _scrubber;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly string _basic;
    private readonly string _what;

    public TokenExchange(OAuthClientCredentials credentials, HttpClient http, SharingClientOptions options, SecretScrubber scrubber)
    {
        _credentials = credentials;
        _http = http;
        _options = options;
        _scrubber = scrubber;
        _pipeline = SharingRetry.Build(options);
        // RFC 6749 §2.3.1: each part form-urlencoded before the Basic encoding.
        _basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            WebUtility.UrlEncode(credentials.ClientId) + ":" + WebUtility.UrlEncode(credentials.ClientSecret)));
        // The encoded pair is as good as the secret, should an endpoint quote the header back.
        scrubber.Add(_basic);
        _what = $"token endpoint {UrlRedactor.Redact(credentials.TokenEndpoint)}";
    }

    public async Task<AccessToken> RequestAsync(CancellationToken ct)
    {
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var request = BuildRequest();
                return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (SharingRetry.IsTransient(e) && !ct.IsCancellationRequested)
        {
            throw new TokenEndpointException($"{_what} could not be reached after {attempts} attempt(s): {_scrubber.Scrub(e.Message)}", null, e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw Refused((int)response.StatusCode, body, attempts);
            var token = Parse(body);
            _scrubber.Add(token.Value);
            return token;
        }
    }

    private HttpRequestMessage BuildRequest()
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (_credentials.Scope is { } scope)
            form.Add(new("scope", scope));
        var request = new HttpRequestMessage(HttpMethod.Post, _credentials.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _basic);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        return request;
    }

    /// <summary>An error answer: RFC 6749 §5.2's <c>error</c> / <c>error_description</c> when present, else the body, scrubbed.</summary>
    private TokenEndpointException Refused(int status, string body, int attempts)
    {
        var text = new StringBuilder($"{_what} answered {status}");
        var (error, description) = ReadError(body);
        if (error is not null)
            text.Append(' ').Append(_scrubber.ScrubAndTruncate(error));
        if (description is not null)
            text.Append(": ").Append(_scrubber.ScrubAndTruncate(description));
        else if (error is null && body.Trim().Length > 0)
            text.Append(": ").Append(_scrubber.ScrubAndTruncate(body));
        if (status is 400 or 401 or 403)
            text.Append(" (check the profile's clientId and clientSecret; the provider may have rotated the secret)");
        if (attempts > 1)
            text.Append($" (after {attempts} attempts)");
        return new TokenEndpointException(text.ToString(), status);
    }

    private AccessToken Parse(string body)
    {
        // No position or parser text in these messages: the body holds the token.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new TokenEndpointException($"{_what} answered 200 with a body that is not JSON", 200);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Malformed("the answer must be a JSON object");
            if (!root.TryGetProperty("access_token", out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } token)
                throw Malformed("field 'access_token' is missing or not a non-empty string");
            if (root.TryGetProperty("token_type", out var type) && type.ValueKind == JsonValueKind.String &&
                !string.Equals(type.GetString(), "bearer", StringComparison.OrdinalIgnoreCase))
                throw Malformed($"field 'token_type' is '{_scrubber.ScrubAndTruncate(type.GetString()!)}', but only bearer tokens are supported");
            return new AccessToken(token, _options.Clock.GetTimestamp(), ReadLifetime(root));
        }
    }

    /// <summary><c>expires_in</c> in seconds, as a number or (as some providers send it) a string; absent means unknown.</summary>
    private TimeSpan? ReadLifetime(JsonElement root)
    {
        if (!root.TryGetProperty("expires_in", out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        var seconds = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => -1,
        };
        if (seconds <= 0)
            throw Malformed("field 'expires_in' must be a positive number of seconds");
        return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(365).TotalSeconds));
    }

    private TokenEndpointException Malformed(string problem) => new($"{_what} answered 200, but {problem}", 200);

    private static (string? Error, string? Description) ReadError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, null);
            return (SharingErrorReader.StringField(root, "error"), SharingErrorReader.StringField(root, "error_description"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
