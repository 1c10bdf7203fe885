namespace ReplicaSync.SharingServer;

/// <summary>
/// A client allowed to exchange its credentials at the token endpoint for short-lived bearer tokens. The secret is
/// given in clear or, to keep it out of the config file, as the hex SHA-256 of its UTF-8 bytes.
/// </summary>
public sealed class OAuthClientConfig
{
    public string ClientId { get; set; } = "";
    public string? ClientSecret { get; set; }
    public string? ClientSecretSha256 { get; set; }
    /// <summary>How long an issued token is accepted.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;
    /// <summary>The recipient whose grants the issued tokens carry; null grants every share (as <c>bearerTokens</c> do).</summary>
    public string? Recipient { get; set; }
}
