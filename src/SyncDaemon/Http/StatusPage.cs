using System.Globalization;
using System.Net;
using System.Text;
using ReplicaSync.Daemon.Status;

namespace ReplicaSync.Daemon.Http;

/// <summary>
/// The status page people read (<c>GET /</c>): one server-rendered HTML page with inline CSS, no script and no build
/// step, refreshing itself every 10 seconds. Tables that need attention come first (failed, then behind, then never
/// run), each with its versions, lag, last run, bytes and node; then the cluster's nodes and their health. Every value
/// comes from the same report as <c>/status</c>, and every provider-supplied string is HTML-encoded.
/// </summary>
public static class StatusPage
{
    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d2733;background:#f6f7f9}
        h1{font-size:1.3rem;margin:0 0 .2rem}h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
        .sub{color:#5b6776;margin-bottom:1rem}
        table{border-collapse:collapse;background:#fff;box-shadow:0 1px 2px #0002;width:100%}
        th,td{padding:.35rem .6rem;text-align:left;border-bottom:1px solid #e5e8ec;vertical-align:top}
        th{background:#eef1f4;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .failed td:first-child{border-left:4px solid #c62828}.behind td:first-child{border-left:4px solid #ef8f00}
        .succeeded td:first-child{border-left:4px solid #2e7d32}.badge{padding:.05rem .45rem;border-radius:.6rem;font-size:.85em}
        .b-failed{background:#fde0e0;color:#8e1c1c}.b-behind,.b-overdue{background:#fff0d5;color:#7a4b00}
        .b-succeeded,.b-alive{background:#dff3e2;color:#1e5b22}.b-running{background:#dde9fb;color:#16427a}
        .err{color:#8e1c1c;max-width:32rem;font-size:.85em;overflow-wrap:anywhere}
        """;

    /// <summary>How a table sorts: failing first, then behind, then never run, then the rest, by name within each.</summary>
    public static int Urgency(TableStatus table) => table.LastRun?.Outcome switch
    {
        "failed" => 0,
        "behind" => 1,
        null => 2,
        _ => table.VersionsBehind > 0 ? 1 : 3,
    };

    public static string Render(DaemonStatusReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"10\">")
            .Append("<title>ReplicaSync status</title><style>").Append(Style).Append("</style></head><body>");
        var failing = report.Tables.Count(t => Urgency(t) == 0);
        html.Append("<h1>ReplicaSync</h1><div class=\"sub\">").Append(report.Tables.Count).Append(" tables, ").Append(failing)
            .Append(" failing; ").Append(report.Nodes.Count).Append(report.Nodes.Count == 1 ? " node" : " nodes").Append("; answered by ")
            .Append(Encode(report.Node)).Append(report.Draining ? " (shutting down)" : "").Append("; <a href=\"/status\">JSON</a></div>");
        Tables(html, report.Tables);
        Nodes(html, report.Nodes);
        return html.Append("</body></html>").ToString();
    }

    private static void Tables(StringBuilder html, IReadOnlyList<TableStatus> tables)
    {
        html.Append("<h2>Tables</h2><table id=\"tables\"><thead><tr><th>Table</th><th>Replica version</th><th>Provider version</th>")
            .Append("<th>Behind</th><th>Last run</th><th>Outcome</th><th>Bytes (last run)</th><th>Node</th></tr></thead><tbody>");
        foreach (var table in tables.OrderBy(Urgency).ThenBy(t => t.Name, StringComparer.Ordinal))
        {
            var outcome = table.Running ? "running" : table.LastRun?.Outcome ?? "never run";
            html.Append("<tr data-table=\"").Append(Encode(table.Name)).Append("\" class=\"").Append(Encode(table.LastRun?.Outcome ?? "none")).Append("\">")
                .Append("<td title=\"").Append(Encode(table.Source)).Append("\">").Append(Encode(table.Name)).Append("</td>");
            Cell(html, "replicaVersion", table.ReplicaVersion?.ToString(CultureInfo.InvariantCulture), numeric: true);
            Cell(html, "providerVersion", table.ProviderVersion?.ToString(CultureInfo.InvariantCulture), numeric: true);
            Cell(html, "lag", Lag(table));
            Cell(html, "lastRun", table.LastRun is { } run ? Time(run.Start) + Duration(run) : null);
            html.Append("<td data-field=\"outcome\"><span class=\"badge b-").Append(Encode(outcome.Replace(' ', '-'))).Append("\">")
                .Append(Encode(outcome)).Append("</span>");
            if (table.LastRun?.Error is { } error)
                html.Append("<div class=\"err\">").Append(Encode(error)).Append("</div>");
            html.Append("</td>");
            Cell(html, "bytes", table.LastRun?.BytesCopied.ToString("N0", CultureInfo.InvariantCulture), numeric: true);
            Cell(html, "node", table.Node);
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
    }

    private static void Nodes(StringBuilder html, IReadOnlyList<NodeStatus> nodes)
    {
        html.Append("<h2>Nodes</h2><table id=\"nodes\"><thead><tr><th>Node</th><th>Health</th><th>Last check-in</th></tr></thead><tbody>");
        foreach (var node in nodes)
        {
            html.Append("<tr data-node=\"").Append(Encode(node.Id)).Append("\"><td>").Append(Encode(node.Id)).Append(node.Current ? " (this node)" : "").Append("</td>")
                .Append("<td data-field=\"state\"><span class=\"badge b-").Append(Encode(node.State)).Append("\">").Append(Encode(node.State)).Append("</span></td>");
            Cell(html, "lastCheckIn", node.LastCheckIn is { } at ? Time(at) : null);
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
    }

    private static void Cell(StringBuilder html, string field, string? text, bool numeric = false) =>
        html.Append("<td data-field=\"").Append(field).Append('"').Append(numeric ? " class=\"num\">" : ">").Append(Encode(text ?? "–")).Append("</td>");

    private static string? Lag(TableStatus table) => table.VersionsBehind switch
    {
        null => null,
        var behind => (behind == 0 ? "up to date" : $"{behind} versions") + (table.SecondsBehind is { } s ? $", caught up {s:0} s ago" : ""),
    };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";

    private static string Duration(RunStatus run) =>
        run.End is { } end ? string.Create(CultureInfo.InvariantCulture, $" ({(end - run.Start).TotalSeconds:0.#} s)") : "";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
