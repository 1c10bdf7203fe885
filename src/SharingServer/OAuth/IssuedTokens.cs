using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The short-lived bearer tokens the token endpoint has issued, kept as SHA-256 hashes with their expiry, so a token
/// is accepted until it expires and the server's memory never holds one in clear.
/// </summary>
public sealed class IssuedTokens(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expiry, Recipient Recipient)> _expiries = new(StringComparer.Ordinal);
    private long _issued;

    /// <summary>How many tokens have been issued since the server started (a test hook).</summary>
    public long IssuedCount => Interlocked.Read(ref _issued);

    /// <summary>Makes every token issued so far expire now (a test hook for a token that expires in the middle of a run).</summary>
    public void ExpireAll() => _expiries.Clear();

    /// <summary>A new random token accepted for <paramref name="lifetime"/>, acting for <paramref name="recipient"/>.</summary>
    internal string Issue(TimeSpan lifetime, Recipient recipient)
    {
        var now = clock.GetUtcNow();
        foreach (var (hash, entry) in _expiries)
        {
            if (entry.Expiry <= now)
                _expiries.TryRemove(hash, out _);
        }
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        _expiries[Hash(token)] = (now + lifetime, recipient);
        Interlocked.Increment(ref _issued);
        return token;
    }

    /// <summary>The recipient of the token whose SHA-256 is <paramref name="tokenHash"/> when it was issued here and has not expired.</summary>
    internal Recipient? Find(byte[] tokenHash) =>
        _expiries.TryGetValue(Convert.ToHexString(tokenHash), out var entry) && entry.Expiry > clock.GetUtcNow() ? entry.Recipient : null;

    // A hash lookup leaks nothing useful through timing: finding a hash's neighbours does not reveal a token.
    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
