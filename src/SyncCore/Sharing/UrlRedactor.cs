using System.Text.RegularExpressions;

namespace ReplicaSync.Sharing;

/// <summary>Removes secrets from URLs (pre-signed query strings, user info) before they reach a message or a log.</summary>
public static partial class UrlRedactor
{
    /// <summary>The URL without its query string, fragment and user info; pre-signed URLs carry their signature in the query.</summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var cut = url.IndexOfAny(['?', '#']);
        var head = cut < 0 ? url : url[..cut];
        return UserInfo().Replace(head, "${scheme}", 1);
    }

    /// <summary>The URI without its query string, fragment and user info.</summary>
    public static string Redact(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : Redact(uri.OriginalString);
    }

    /// <summary>Redacts every URL and bare <c>?key=value</c> query inside free text, such as a server's error message.</summary>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var withoutUrls = UrlInText().Replace(text, m => Redact(m.Value));
        // A signed query can also show up without its URL (e.g. a server echoing just the failing parameters).
        return BareQuery().Replace(withoutUrls, "?[redacted]");
    }

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/@]*@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^\s""'<>]+")]
    private static partial Regex UrlInText();

    [GeneratedRegex(@"\?[^\s""'<>?=&]+=[^\s""'<>]*")]
    private static partial Regex BareQuery();
}
