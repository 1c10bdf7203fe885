using System.Net;
using System.Text.RegularExpressions;
using Azure;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// Turns the SDK's failures into <see cref="AzureStoreException"/>s that name the operation, container, blob and
/// account, with a hint for the usual causes. Secrets stay out (invariant 6): only the status, the error code and the
/// first line of the service's message are kept (never the SDK's message with its echoed content), and known secrets,
/// SAS signatures and bearer tokens are masked in that line too.
/// </summary>
internal static partial class AzureErrors
{
    private const string Mask = "***";
    private const int MaxDetail = 300;

    public static AzureStoreException FromResponse(RequestFailedException error, string operation, string blob, string account, IEnumerable<string> secrets)
    {
        var status = (HttpStatusCode)error.Status;
        var code = string.IsNullOrEmpty(error.ErrorCode) ? null : error.ErrorCode;
        var message = error.Message.Split('\n')[0].Trim();
        // Redact before cutting, so a secret split by the cut cannot survive half-masked.
        var detail = Truncate(Redact($"{error.Status} {code ?? status.ToString()}: {message}", secrets));
        return new AzureStoreException($"Azure {operation} of {blob} failed{Hint(status, code, account)}: {detail}", status, code);
    }

    /// <summary>A failure with no answer from the service (refused, reset, timed out): every distinct message down the chain.</summary>
    public static AzureStoreException FromException(Exception error, string operation, string blob, IEnumerable<string> secrets)
    {
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (!messages.Any(m => m.Contains(e.Message, StringComparison.Ordinal)))
                messages.Add(e.Message);
        }
        return new AzureStoreException($"Azure {operation} of {blob} failed: {Truncate(Redact(string.Join(" (", messages) + new string(')', messages.Count - 1), secrets))}", null, null);
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
