namespace ReplicaSync.Sharing.Auth;

/// <summary>
/// Access tokens of an <c>oauth_client_credentials</c> profile: exchanged on first use, cached, and renewed when they
/// near expiry or the sharing server rejects them. Requests running at once wait for a single exchange.
/// </summary>
internal sealed class OAuthTokens(TokenExchange exchange, TimeProvider clock) : IAccessTokens, IDisposable
{
    private readonly SemaphoreSlim _exchanging = new(1, 1);
    private AccessToken? _token;

    public async ValueTask<string> CurrentAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _token) is { } cached && cached.IsFresh(clock))
            return cached.Value;
        await _exchanging.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Another request may have renewed the token while this one waited.
            if (Volatile.Read(ref _token) is { } renewed && renewed.IsFresh(clock))
                return renewed.Value;
            var token = await exchange.RequestAsync(ct).ConfigureAwait(false);
            Volatile.Write(ref _token, token);
            return token.Value;
        }
        finally
        {
            _exchanging.Release();
        }
    }

    public bool Reject(string token)
    {
        // Only the rejected token is dropped: one renewed meanwhile by a concurrent request is kept.
        var current = Volatile.Read(ref _token);
        if (current is not null && current.Value == token)
            Interlocked.CompareExchange(ref _token, null, current);
        return true;
    }

    public void Dispose() => _exchanging.Dispose();
}
