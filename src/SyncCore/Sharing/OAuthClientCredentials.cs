namespace ReplicaSync.Sharing;

/// <summary>
/// The client credentials of an <c>oauth_client_credentials</c> profile, exchanged at <see cref="TokenEndpoint"/> for
/// short-lived access tokens. <see cref="ToString"/> masks the secret.
/// </summary>
public sealed record OAuthClientCredentials(Uri TokenEndpoint, string ClientId, string ClientSecret, string? Scope)
{
    public override string ToString() =>
        $"{{ TokenEndpoint = {UrlRedactor.Redact(TokenEndpoint)}, ClientId = {ClientId}, ClientSecret = ***, Scope = {Scope ?? "none"} }}";
}
