using ReplicaSync.Sharing;

namespace ReplicaSync.Sync.Copy;

/// <summary>
/// The current pre-signed URL of one file being copied. It is re-issued through its <see cref="UrlQuery"/> before a
/// request when it is about to expire, and once after the provider refused it (403); a second refusal is an error.
/// </summary>
public sealed class UrlHandle
{
    private readonly UrlQuery _query;
    private volatile Signed _current;
    private int _forbiddenRefreshUsed;

    internal UrlHandle(UrlQuery query, string id, string url, long? expiresAtMs, long nowMs, long registration)
    {
        _query = query;
        Id = id;
        Registration = registration;
        _current = new Signed(url, expiresAtMs, nowMs);
    }

    /// <summary>The provider's file id (or deletion-vector handle id) the URL is matched by on refresh.</summary>
    public string Id { get; }

    /// <summary>The order in which its query registered this handle, so a refresh knows whether it covers it.</summary>
    internal long Registration { get; }

    /// <summary>The URL to use for the next request, re-issued first when it expires within the refresh margin.</summary>
    public async ValueTask<string> UrlAsync(CancellationToken ct)
    {
        var signed = _current;
        if (signed.ExpiresAt is not { } expires)
            return signed.Url;
        var now = _query.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var margin = Math.Min((long)_query.RefreshMargin.TotalMilliseconds, (expires - signed.IssuedAt) / 2);
        if (now < expires - margin)
            return signed.Url;
        await _query.RefreshAsync(this, ct);
        if (ReferenceEquals(_current, signed))
            throw Missing();
        return _current.Url;
    }

    /// <summary>
    /// Called after <paramref name="refused"/> got a 403. True when a new URL is ready to retry with (another
    /// request refreshed it meanwhile, or this one re-issued the query); false when the single refresh was spent.
    /// </summary>
    public async Task<bool> RefreshAfterForbiddenAsync(string refused, CancellationToken ct)
    {
        var signed = _current;
        if (signed.Url != refused)
            return true;
        if (Interlocked.Exchange(ref _forbiddenRefreshUsed, 1) == 1)
            return false;
        await _query.RefreshAsync(this, ct);
        if (ReferenceEquals(_current, signed))
            throw Missing();
        return true;
    }

    /// <summary>A request with the current URL succeeded: a later 403 may refresh again.</summary>
    public void Accepted() => Volatile.Write(ref _forbiddenRefreshUsed, 0);

    /// <summary>The copy is done: the URL no longer needs refreshing.</summary>
    public void Release() => _query.Release(this);

    internal void Update(string url, long? expiresAtMs, long nowMs) => _current = new Signed(url, expiresAtMs, nowMs);

    private SyncException Missing() =>
        new($"file {Id} is no longer in the provider's response when its URL was re-issued (was it vacuumed?); " +
            $"last URL {UrlRedactor.Redact(_current.Url)}");

    private sealed record Signed(string Url, long? ExpiresAt, long IssuedAt);
}
