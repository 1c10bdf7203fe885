using System.Collections.Concurrent;

namespace ReplicaSync.Sharing.Auth;

/// <summary>
/// Access tokens shared by the clients of a long-lived process (the daemon builds a client per run), keyed by the
/// whole credentials: runs of any table with the same client reuse one token until it nears expiry, and a profile
/// whose secret was rotated gets a fresh exchange at once.
/// </summary>
public sealed class OAuthTokenCache : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly ConcurrentDictionary<OAuthClientCredentials, Lazy<OAuthTokens>> _tokens = new();

    internal IAccessTokens For(OAuthClientCredentials credentials, SharingClientOptions options) =>
        _tokens.GetOrAdd(credentials, c => new Lazy<OAuthTokens>(() =>
            new OAuthTokens(new TokenExchange(c, _http, options, new SecretScrubber(c.ClientSecret)), options.Clock))).Value;

    public void Dispose()
    {
        foreach (var tokens in _tokens.Values.Where(t => t.IsValueCreated))
            tokens.Value.Dispose();
        _http.Dispose();
    }
}
