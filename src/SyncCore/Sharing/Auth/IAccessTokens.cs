namespace ReplicaSync.Sharing.Auth;

/// <summary>Where the bearer token of each request comes from: fixed in the profile, or obtained and renewed over OAuth.</summary>
internal interface IAccessTokens
{
    /// <summary>The token to send with the next request.</summary>
    ValueTask<string> CurrentAsync(CancellationToken ct);

    /// <summary>
    /// Told that the sharing server rejected <paramref name="token"/> (401): drops it and returns true when a fresh
    /// one can be obtained, so the request is worth one more try.
    /// </summary>
    bool Reject(string token);
}
