namespace ReplicaSync.Sharing.Auth;

/// <summary>The fixed bearer token of a <c>bearer_token</c> profile; a rejected token cannot be renewed.</summary>
internal sealed class ProfileBearerToken(string token) : IAccessTokens
{
    public ValueTask<string> CurrentAsync(CancellationToken ct) => ValueTask.FromResult(token);

    public bool Reject(string token) => false;
}
