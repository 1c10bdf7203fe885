using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReplicaSync.Sharing;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// Builds <see cref="GcsStoreException"/>s that name operation, object and status, with a hint for the usual
/// causes. Server text is reduced to GCS's error message and scrubbed of URLs' queries, upload ids and tokens.
/// </summary>
internal static partial class GcsErrors
{
    public static async Task<GcsStoreException> FromResponseAsync(HttpResponseMessage response, string operation, string target, CancellationToken ct)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (HttpRequestException)
        {
            body = "";
        }
        var status = response.StatusCode;
        var detail = Redact(ErrorMessage(body));
        return new GcsStoreException(
            $"GCS {operation} of {target} failed: {(int)status} {response.ReasonPhrase}{(detail.Length > 0 ? ": " + detail : "")}{Hint(status)}", status);
    }

    public static GcsStoreException FromTransport(Exception error, string operation, string target) =>
        new($"GCS {operation} of {target} failed: {Redact(error.Message)}", null);

    /// <summary>Masks bearer tokens, upload ids and the query of any URL in <paramref name="text"/>.</summary>
    public static string Redact(string text) =>
        UrlRedactor.RedactText(SecretParameter().Replace(Bearer().Replace(text, "Bearer ***"), m => m.Groups[1].Value + "=***"));

    private static string ErrorMessage(string body)
    {
        if (body.Length == 0)
            return "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                return message.GetString() ?? "";
        }
        catch (JsonException)
        {
            // Not GCS's JSON error shape (a proxy or emulator page): keep the start of the text.
        }
        var text = body.ReplaceLineEndings(" ").Trim();
        return text.Length <= 200 ? text : text[..200] + "...";
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
