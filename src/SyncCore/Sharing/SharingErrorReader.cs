using System.Text;
using System.Text.Json;

namespace ReplicaSync.Sharing;

/// <summary>Turns a non-2xx response into a <see cref="SharingHttpException"/>, whatever shape the body has.</summary>
internal static class SharingErrorReader
{
    // Enough for any real error body; a server streaming an endless HTML page must not be read to the end.
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// Reads <c>{"errorCode","message"}</c> (the protocol), <c>{"error_code","message","details"}</c> (Databricks) or any
    /// other body, which is quoted truncated. <paramref name="attempts"/> above 1 is mentioned so retries are visible.
    /// </summary>
    public static async Task<SharingHttpException> ReadAsync(
        HttpResponseMessage response, string what, int attempts, SharingProfile profile, SecretScrubber scrubber, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var body = await ReadBodyAsync(response, ct).ConfigureAwait(false);
        var (code, serverMessage, detail) = ParseBody(body);
        serverMessage = serverMessage is null ? null : scrubber.ScrubAndTruncate(serverMessage);
        code = code is null ? null : scrubber.ScrubAndTruncate(code);
        var text = new StringBuilder($"{what}: HTTP {status}");
        if (code is not null)
            text.Append(' ').Append(code);
        if (serverMessage is { Length: > 0 })
            text.Append(": ").Append(serverMessage);
        else if (code is null && body.Trim().Length > 0)
            text.Append(": ").Append(scrubber.ScrubAndTruncate(body));
        if (detail is not null)
            text.Append(" [").Append(scrubber.ScrubAndTruncate(detail)).Append(']');
        if (status == 401 && profile.IsExpired(DateTimeOffset.UtcNow))
            text.Append($" (hint: expired token; the profile's bearer token expired at {profile.ExpirationTime!.Value.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z, ask the provider for a new profile)");
        if (attempts > 1)
            text.Append($" (after {attempts} attempts)");
        return new SharingHttpException(status, code, serverMessage, text.ToString());
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = new byte[MaxBodyBytes];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false)) > 0)
                filled += read;
            return Encoding.UTF8.GetString(buffer, 0, filled);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The status alone still tells the caller what happened; a body we cannot read adds nothing.
            return "";
        }
    }

    private static (string? Code, string? Message, string? Detail) ParseBody(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, null, null);
            var code = StringField(root, "errorCode") ?? StringField(root, "error_code");
            return (code, StringField(root, "message"), DetailReason(root));
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    /// <summary>Databricks puts the actionable reason (e.g. DS_UNSUPPORTED_DELTA_TABLE_FEATURES) in an ErrorInfo detail.</summary>
    private static string? DetailReason(JsonElement root)
    {
        if (!root.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var detail in details.EnumerateArray())
        {
            if (detail.ValueKind != JsonValueKind.Object)
                continue;
            if (detail.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
                StringField(metadata, "dsError") is { } dsError)
                return dsError;
            if (StringField(detail, "reason") is { } reason)
                return reason;
        }
        return null;
    }

    /// <summary>A string property of a JSON object, or null when it is absent or not a string.</summary>
    internal static string? StringField(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
