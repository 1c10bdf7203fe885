using System.Net;
using System.Text.RegularExpressions;
using System.Xml;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// Turns failed Blob service responses into <see cref="AzureStoreException"/>s that name the operation, container,
/// blob and account, with a hint for the usual causes. Secrets stay out (invariant 6): known secrets, SAS
/// signatures and bearer tokens are masked in anything the server or the network stack said.
/// </summary>
internal static partial class AzureErrors
{
    private const string Mask = "***";
    private const int MaxDetail = 300;

    /// <summary>The error code and first line of the message from an error response (HEAD has only the header).</summary>
    public static async Task<(string? Code, string Message)> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var code = ErrorCode(response);
        var message = response.ReasonPhrase ?? "";
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (body.Length > 0 && body.TrimStart().StartsWith('<'))
            {
                var xml = new XmlDocument { XmlResolver = null };
                using var reader = XmlReader.Create(new StringReader(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
                xml.Load(reader);
                code ??= xml.SelectSingleNode("/Error/Code")?.InnerText;
                if (xml.SelectSingleNode("/Error/Message")?.InnerText is { Length: > 0 } text)
                    message = text.Split('\n')[0].Trim();
            }
            else if (body.Length > 0)
            {
                message = body.Split('\n')[0].Trim();
            }
        }
        catch (Exception e) when (e is XmlException or IOException or HttpRequestException)
        {
            // The status and code still say what happened.
        }
        return (code, message);
    }

    /// <summary>Azure's error code from the x-ms-error-code header (the only place a HEAD answer has it), if sent.</summary>
    public static string? ErrorCode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;

    public static AzureStoreException FromResponse(HttpStatusCode status, string? code, string message, string operation, string blob, string account, IEnumerable<string> secrets)
    {
        // Redact before cutting, so a secret split by the cut cannot survive half-masked.
        var detail = Truncate(Redact($"{(int)status} {code ?? status.ToString()}: {message}", secrets));
        return new AzureStoreException($"Azure {operation} of {blob} failed{Hint(status, code, account)}: {detail}", status, code);
    }

    public static AzureStoreException FromException(Exception error, string operation, string blob, IEnumerable<string> secrets)
    {
        var detail = error.Message;
        // HttpRequestException says "connection refused" one level down; the socket error names host and port.
        if (error.InnerException is { } inner && !detail.Contains(inner.Message, StringComparison.Ordinal))
            detail += $" ({inner.Message})";
        return new AzureStoreException($"Azure {operation} of {blob} failed: {Truncate(Redact(detail, secrets))}", null, null);
    }

    /// <summary>True for the codes Azure (AuthenticationFailed) and Azurite (AuthorizationFailure) give a bad key, SAS or token.</summary>
    public static bool IsAuthentication(HttpStatusCode status, string? code) =>
        status == HttpStatusCode.Unauthorized ||
        (status == HttpStatusCode.Forbidden && code is "AuthenticationFailed" or "AuthorizationFailure" or "InvalidAuthenticationInfo" or "NoAuthenticationInformation");

    private static string Hint(HttpStatusCode status, string? code, string account) => code switch
    {
        _ when IsAuthentication(status, code) =>
            $": authentication failed for account {account} (check the account key, SAS token or Entra ID credential, and the clock)",
        "AuthorizationPermissionMismatch" or "AuthorizationResourceTypeMismatch" or "AuthorizationServiceMismatch" or "InsufficientAccountPermissions" =>
            $": the credential for account {account} lacks permission for this operation",
        "ContainerNotFound" => " (the container does not exist)",
        "AccountIsDisabled" => $" (account {account} is disabled)",
        _ when status == HttpStatusCode.Forbidden => $": access denied for account {account}",
        _ => "",
    };

    /// <summary>Masks every known secret, any sig= value and any bearer token in <paramref name="text"/>.</summary>
    public static string Redact(string text, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length >= 4)
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }
        text = SignatureParameter().Replace(text, m => m.Groups[1].Value + "=" + Mask);
        return BearerToken().Replace(text, "Bearer " + Mask);
    }

    private static string Truncate(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= MaxDetail ? line : line[..MaxDetail] + "…";
    }

    [GeneratedRegex(@"\b(sig|signature|x-ms-copy-source-authorization)=[^&\s""'<]+", RegexOptions.IgnoreCase)]
    private static partial Regex SignatureParameter();

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9\-_.~+/=]+", RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();
}
