using System.Net;
using System.Net.Http.Headers;
using Polly;
using ReplicaSync.Sharing.Auth;

namespace ReplicaSync.Sharing;

/// <summary>
/// Sends authenticated requests with retries up to the response headers, and maps error statuses to exceptions. The
/// bearer token is taken per attempt from the profile's token source; with OAuth, a 401 renews the token and the
/// request is tried once more.
/// </summary>
internal sealed class SharingTransport : IDisposable
{
    private readonly SharingProfile _profile;
    private readonly SharingClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly IAccessTokens _tokens;
    private readonly OAuthTokens? _ownedTokens;

    public SharingTransport(SharingProfile profile, HttpClient? http, SharingClientOptions options)
    {
        _profile = profile;
        _options = options;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient();
        _pipeline = SharingRetry.Build(options);
        Scrubber = new SecretScrubber(profile.BearerToken, profile.OAuth?.ClientSecret);
        _tokens = profile.OAuth switch
        {
            { } oauth when options.TokenCache is { } cache => cache.For(oauth, options),
            { } oauth => _ownedTokens = new OAuthTokens(new TokenExchange(oauth, _http, options, Scrubber), options.Clock),
            null => new ProfileBearerToken(profile.BearerToken ?? throw new ArgumentException("the profile has neither a bearer token nor OAuth credentials", nameof(profile))),
        };
        BaseUrl = profile.Endpoint.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>The endpoint without a trailing '/', to which <c>/shares/…</c> paths are appended.</summary>
    public string BaseUrl { get; }

    public SecretScrubber Scrubber { get; }

    /// <summary>"GET https://host/path" without the query, for messages.</summary>
    public static string Describe(HttpMethod method, string url) => $"{method} {UrlRedactor.Redact(url)}";

    /// <summary>
    /// Sends the request built by <paramref name="configure"/> (called again for every attempt, since a request message can be
    /// sent only once) and returns the successful response with its body unread. 429, 5xx and connection failures are retried;
    /// a failure while the caller reads the body is not, because lines may already have been consumed.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, Action<HttpRequestMessage>? configure, CancellationToken ct)
    {
        var what = Describe(method, url);
        var attempts = 0;
        var renewed = false;
        while (true)
        {
            var sent = "";
            HttpResponseMessage response;
            try
            {
                response = await _pipeline.ExecuteAsync(async token =>
                {
                    attempts++;
                    sent = await _tokens.CurrentAsync(token).ConfigureAwait(false);
                    // A shared token cache scrubs its own errors; this client's must hide the token as well.
                    Scrubber.Add(sent);
                    var request = new HttpRequestMessage(method, url);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sent);
                    request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
                    configure?.Invoke(request);
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                }, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (SharingRetry.IsTransient(e) && !ct.IsCancellationRequested)
            {
                throw new SharingException($"{what}: request failed after {attempts} attempt(s): {Scrubber.Scrub(e.Message)}", e);
            }
            if (response.IsSuccessStatusCode)
                return response;
            // A token can expire or be revoked between its exchange and its use: renew once, then believe the server.
            if (response.StatusCode == HttpStatusCode.Unauthorized && !renewed && _tokens.Reject(sent))
            {
                renewed = true;
                response.Dispose();
                continue;
            }
            using (response)
                throw await SharingErrorReader.ReadAsync(response, what, attempts, _profile, Scrubber, ct).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _ownedTokens?.Dispose();
        if (_ownsHttp)
            _http.Dispose();
    }
}
