using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>Response helpers shared by the endpoints: content types, JSON bodies and error bodies.</summary>
internal static class HttpResponses
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string NdjsonContentType = "application/x-ndjson; charset=utf-8";
    public const string TableVersionHeader = "Delta-Table-Version";

    /// <summary>Writes <c>{"errorCode","message"}</c> with the status; HEAD responses get the status only.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string errorCode, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (HttpMethods.IsHead(context.Request.Method))
            return;
        response.ContentType = JsonContentType;
        await WriteJsonAsync(response, w =>
        {
            w.WriteStartObject();
            w.WriteString("errorCode", errorCode);
            w.WriteString("message", message);
            w.WriteEndObject();
        }, context.RequestAborted);
    }

    /// <summary>Writes one JSON document produced by <paramref name="write"/> as the body.</summary>
    public static async Task WriteJsonAsync(HttpResponse response, Action<Utf8JsonWriter> write, CancellationToken ct)
    {
        response.ContentType ??= JsonContentType;
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
            write(writer);
        await response.BodyWriter.FlushAsync(ct);
    }
}
