using System.Net;
using System.Text.RegularExpressions;
using Google;
using Google.Apis.Auth.OAuth2.Responses;
using ReplicaSync.Sharing;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// Turns what the Google client throws into <see cref="GcsStoreException"/>s that name operation, object and status,
/// with a hint for the usual causes. Server text is reduced to GCS's error message and scrubbed of URLs' queries,
/// upload ids and tokens.
/// </summary>
internal static partial class GcsErrors
{
    /// <summary>
    /// True for failures of the service or the way to it (GCS answers, token refusals, the network); not for the
    /// caller cancelling, nor for a source stream failing, which propagate as they are.
    /// </summary>
    public static bool IsServiceFailure(Exception e, CancellationToken ct) =>
        e is GoogleApiException or TokenResponseException or HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested);

    public static GcsStoreException From(Exception error, string operation, string target) => error switch
    {
        GoogleApiException api => new GcsStoreException(
            $"GCS {operation} of {target} failed: {(int)api.HttpStatusCode} {api.HttpStatusCode}{Detail(api.Error?.Message ?? "")}{Hint(api.HttpStatusCode)}", api.HttpStatusCode),
        TokenResponseException token => new GcsStoreException(
            $"GCS {operation} of {target} failed: the credentials could not get an access token: {Redact($"{token.Error?.Error} {token.Error?.ErrorDescription}".Trim())}", token.StatusCode),
        _ => new GcsStoreException($"GCS {operation} of {target} failed: {Redact(error.Message)}", null),
    };

    /// <summary>Masks bearer tokens, upload ids and the query of any URL in <paramref name="text"/>.</summary>
    public static string Redact(string text) =>
        UrlRedactor.RedactText(SecretParameter().Replace(Bearer().Replace(text, "Bearer ***"), m => m.Groups[1].Value + "=***"));

    private static string Detail(string message)
    {
        var text = Redact(message.ReplaceLineEndings(" ").Trim());
        if (text.Length > 200)
            text = text[..200] + "...";
        return text.Length > 0 ? ": " + text : "";
    }

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => " (the credentials were rejected; check the key file or application-default credentials)",
        HttpStatusCode.Forbidden => " (the credentials lack permission for this bucket or object)",
        _ => "",
    };

    [GeneratedRegex(@"Bearer\s+[^\s""',;]+", RegexOptions.IgnoreCase)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(upload_id|access_token|X-Goog-Signature|X-Goog-Credential)=[^&\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter();
}
