using System.Security.Cryptography;
using System.Text;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The configured tokens and the recipients they stand for: each <c>recipients</c> entry, and every <c>bearerTokens</c>
/// entry as a recipient granted every share. Tokens are kept as SHA-256 hashes and compared in constant time.
/// </summary>
internal sealed class RecipientRegistry
{
    private readonly List<(byte[] Hash, DateTimeOffset? Expires, Recipient Recipient)> _tokens = [];
    private readonly Dictionary<string, Recipient> _byName = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public RecipientRegistry(SharingServerConfig config, TimeProvider clock)
    {
        _clock = clock;
        for (var i = 0; i < config.BearerTokens.Count; i++)
            _tokens.Add((Hash(config.BearerTokens[i]), null, new Recipient($"bearerTokens[{i}]", null)));
        foreach (var r in config.Recipients)
        {
            var recipient = new Recipient(r.Name, r.Shares);
            _tokens.Add((r.TokenSha256 is { } hex ? Convert.FromHexString(hex) : Hash(r.Token!), r.Expires, recipient));
            _byName.Add(r.Name, recipient);
        }
    }

    /// <summary>The named recipients (those an OAuth client can act for).</summary>
    public IReadOnlyDictionary<string, Recipient> ByName => _byName;

    /// <summary>
    /// The recipient whose token hashes to <paramref name="tokenHash"/> and has not expired, or null. Every entry is
    /// compared, so the time taken tells nothing about which token (if any) matched.
    /// </summary>
    public Recipient? Find(byte[] tokenHash)
    {
        (DateTimeOffset? Expires, Recipient Recipient)? match = null;
        foreach (var (hash, expires, recipient) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(tokenHash, hash))
                match = (expires, recipient);
        }
        return match is { } m && (m.Expires is null || m.Expires > _clock.GetUtcNow()) ? m.Recipient : null;
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
