using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ReplicaSync.Daemon.Init;

/// <summary>
/// Renders the commented daemon configuration <c>replicasync init</c> writes: the daemon's main settings with their
/// defaults explained, then one entry per table with a schedule and <c>from: latest</c>. Provider strings only ever
/// appear as JSON string values, never inside comments.
/// </summary>
public static class DaemonConfigTemplate
{
    public static string Render(IReadOnlyList<InitTable> tables, string cron)
    {
        var text = new StringBuilder();
        text.AppendLine("""
            {
              // ReplicaSync daemon configuration, written by `replicasync init`. Start it with:
              //   replicasync run --config <this file>
              // Comments and trailing commas are allowed. Relative paths are relative to this file's folder. Every key can be
              // overridden by an environment variable REPLICASYNC__<key> with "__" between levels, e.g. REPLICASYNC__listen.
              // config/daemon.example.json in the ReplicaSync repository describes every setting.

              // Where /healthz, /readyz, /status, /metrics and POST /tables/{name}/sync listen (0.0.0.0 in a container).
              "listen": "http://127.0.0.1:8080",
              // Table runs at the same time across all tables; further due runs wait for a free slot.
              "maxConcurrentRuns": 4,
              // Each table's first run waits a random 0..N seconds, so the tables do not all hit the provider at once.
              "startupJitterSeconds": 30,

              // One entry per table. The key is the table's name in /status, metrics labels and /tables/{name}/sync.
              // source: <profile file>#<share>.<schema>.<table>; the profile is re-read before every run (secrets rotate).
              // cron: Quartz cron (seconds minutes hours day-of-month month day-of-week); or use "intervalSeconds": N.
              // from: where a new replica starts. "latest" copies a snapshot of the provider's latest version; "0" copies
              //   the full history when the provider shares it; "auto" picks full history when shared, else latest.
              "tables": {
            """);
        for (var i = 0; i < tables.Count; i++)
        {
            var table = tables[i];
            text.Append("    ").Append(Json(table.Key)).AppendLine(": {");
            text.Append("      \"source\": ").Append(Json(table.Source)).AppendLine(",");
            text.Append("      \"target\": ").Append(Json(table.Target)).AppendLine(",");
            text.Append("      \"cron\": ").Append(Json(cron)).AppendLine(",");
            text.AppendLine("      \"from\": \"latest\"");
            text.AppendLine(i < tables.Count - 1 ? "    }," : "    }");
        }
        text.AppendLine("  }");
        text.AppendLine("}");
        return text.ToString();
    }

    // Relaxed escaping keeps non-ASCII names readable in the file; quotes, backslashes and controls are still escaped.
    private static string Json(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            writer.WriteStringValue(value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
