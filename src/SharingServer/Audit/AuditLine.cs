using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The one structured log line per request (category <see cref="Category"/>): recipient, method, path, table
/// (share.schema.table), version, files and bytes announced, status and time. The path never carries the query string,
/// which holds signatures, and no token is ever known here.
/// </summary>
internal static class AuditLine
{
    public const string Category = "ReplicaSync.SharingServer.Audit";

    public static void Write(ILogger logger, HttpContext http, long started)
    {
        var audit = RequestAudit.Of(http);
        var values = http.Request.RouteValues;
        var table = values.TryGetValue("table", out var name) ? $"{values["share"]}.{values["schema"]}.{name}" : "-";
        var version = http.Response.Headers[HttpResponses.TableVersionHeader].ToString() is { Length: > 0 } v ? v : "-";
        logger.LogInformation(
            "recipient={Recipient} {Method} {Path} table={Table} version={Version} files={Files} bytes={Bytes} -> {Status} in {Elapsed:F1} ms",
            audit.Recipient?.Name ?? "-", http.Request.Method, http.Request.Path.Value, table, version, audit.Files, audit.Bytes,
            http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
