namespace ReplicaSync.Sharing;

/// <summary>
/// Cleans server-supplied text before it goes into an exception: URL queries and every known secret (the profile's
/// token or client secret, and each access token obtained since) are removed.
/// </summary>
internal sealed class SecretScrubber
{
    private const int MaxLength = 500;

    // Replaced whole on every addition, so readers on other threads never see a list being changed.
    private string[] _secrets;

    public SecretScrubber(params string?[] secrets)
    {
        _secrets = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray();
    }

    /// <summary>Adds a secret learnt later, such as a freshly issued access token.</summary>
    public void Add(string secret)
    {
        if (string.IsNullOrEmpty(secret))
            return;
        string[] seen, next;
        do
        {
            seen = Volatile.Read(ref _secrets);
            if (seen.Contains(secret, StringComparer.Ordinal))
                return;
            next = [.. seen, secret];
        }
        while (Interlocked.CompareExchange(ref _secrets, next, seen) != seen);
    }

    /// <summary>Redacts URL queries and any echo of a secret (a buggy server may quote the header back).</summary>
    public string Scrub(string text)
    {
        var clean = UrlRedactor.RedactText(text);
        foreach (var secret in Volatile.Read(ref _secrets))
            clean = clean.Replace(secret, "[token]", StringComparison.Ordinal);
        return clean;
    }

    /// <summary>Like <see cref="Scrub"/>, and cut to about 500 characters so a large HTML error page does not flood logs.</summary>
    public string ScrubAndTruncate(string text)
    {
        var trimmed = text.Trim();
        // Scrub before cutting so a token or query split by the cut cannot survive half-redacted.
        var clean = Scrub(trimmed);
        return clean.Length <= MaxLength ? clean : clean[..MaxLength] + "…";
    }
}
