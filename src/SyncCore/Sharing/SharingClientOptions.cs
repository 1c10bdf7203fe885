namespace ReplicaSync.Sharing;

/// <summary>Retry, paging and identification settings of a <see cref="SharingClient"/>.</summary>
public sealed record SharingClientOptions
{
    /// <summary>Retries after the first attempt for 429, 5xx and connection failures; 0 disables retrying.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first backoff delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound on any single delay, including one asked for by <c>Retry-After</c>.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>maxResults</c> sent on list calls; null leaves the page size to the server.</summary>
    public int? PageSize { get; init; }

    /// <summary>Shares OAuth access tokens with other clients of the process; null keeps them to this client.</summary>
    public Auth.OAuthTokenCache? TokenCache { get; init; }

    /// <summary>The clock OAuth access tokens age by (a test hook: renewal before expiry is tested without waiting).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The <c>User-Agent</c> header, which providers use to tell clients apart.</summary>
    public string UserAgent { get; init; } = "ReplicaSync/0.1";

    internal void Validate()
    {
        if (MaxRetries < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "must be 0 or more");
        if (BaseDelay < TimeSpan.Zero || BaseDelay > TimeSpan.FromDays(1))
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), BaseDelay, "must be between 0 and 1 day");
        if (MaxDelay < BaseDelay || MaxDelay > TimeSpan.FromDays(1))
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "must be between BaseDelay and 1 day");
        // maxResults=0 yields empty pages that may still carry a token, so paging would never end.
        if (PageSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, "must be 1 or more");
        if (string.IsNullOrWhiteSpace(UserAgent))
            throw new ArgumentException("UserAgent must not be empty", nameof(UserAgent));
    }
}
