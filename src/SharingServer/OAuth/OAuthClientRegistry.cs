using System.Security.Cryptography;
using System.Text;

namespace ReplicaSync.SharingServer;

/// <summary>The configured OAuth clients by id, each with the SHA-256 of its secret, checked in constant time.</summary>
internal sealed class OAuthClientRegistry
{
    private readonly Dictionary<string, (byte[] SecretHash, TimeSpan Lifetime)> _clients;

    public OAuthClientRegistry(IEnumerable<OAuthClientConfig> clients)
    {
        _clients = clients.ToDictionary(c => c.ClientId, c => (
            c.ClientSecretSha256 is { } hex ? Convert.FromHexString(hex) : Hash(c.ClientSecret!),
            TimeSpan.FromSeconds(c.TokenLifetimeSeconds)), StringComparer.Ordinal);
    }

    /// <summary>The token lifetime of the client when the secret matches; null for an unknown client or a wrong secret.</summary>
    public TimeSpan? Authenticate(string clientId, string secret)
    {
        var given = Hash(secret);
        if (!_clients.TryGetValue(clientId, out var client))
        {
            // Same work as for a known client, so timing does not tell which client ids exist.
            CryptographicOperations.FixedTimeEquals(given, given);
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(given, client.SecretHash) ? client.Lifetime : null;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
