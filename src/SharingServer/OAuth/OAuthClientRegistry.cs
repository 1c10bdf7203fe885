using System.Security.Cryptography;
using System.Text;

namespace ReplicaSync.SharingServer;

/// <summary>The configured OAuth clients by id, each with the SHA-256 of its secret, checked in constant time.</summary>
internal sealed class OAuthClientRegistry
{
    private readonly Dictionary<string, (byte[] SecretHash, TimeSpan Lifetime, Recipient Recipient)> _clients;

    /// <summary>Clients naming a recipient act for it; the others for a recipient granted every share, named after the client.</summary>
    public OAuthClientRegistry(IEnumerable<OAuthClientConfig> clients, IReadOnlyDictionary<string, Recipient> recipients)
    {
        _clients = clients.ToDictionary(c => c.ClientId, c => (
            c.ClientSecretSha256 is { } hex ? Convert.FromHexString(hex) : Hash(c.ClientSecret!),
            TimeSpan.FromSeconds(c.TokenLifetimeSeconds),
            c.Recipient is { } name ? recipients[name] : new Recipient("oauth:" + c.ClientId, null)), StringComparer.Ordinal);
    }

    /// <summary>The token lifetime and recipient of the client when the secret matches; null for an unknown client or a wrong secret.</summary>
    public (TimeSpan Lifetime, Recipient Recipient)? Authenticate(string clientId, string secret)
    {
        var given = Hash(secret);
        if (!_clients.TryGetValue(clientId, out var client))
        {
            // Same work as for a known client, so timing does not tell which client ids exist.
            CryptographicOperations.FixedTimeEquals(given, given);
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(given, client.SecretHash) ? (client.Lifetime, client.Recipient) : null;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
