namespace ReplicaSync.Sharing;

/// <summary>Cleans server-supplied text before it goes into an exception: URL queries and the profile's token are removed.</summary>
internal sealed class SecretScrubber(string token)
{
    private const int MaxLength = 500;

    /// <summary>Redacts URL queries and any echo of the bearer token (a buggy server may quote the header back).</summary>
    public string Scrub(string text)
    {
        var clean = UrlRedactor.RedactText(text);
        return token.Length == 0 ? clean : clean.Replace(token, "[token]", StringComparison.Ordinal);
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
