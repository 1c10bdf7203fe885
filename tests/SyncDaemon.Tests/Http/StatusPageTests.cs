using ReplicaSync.Daemon.Http;
using ReplicaSync.Daemon.Status;

namespace ReplicaSync.Daemon.Tests.Http;

/// <summary>The HTML status page as rendered: failing tables first, every field shown, provider strings encoded.</summary>
public sealed class StatusPageTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void Failing_tables_come_first_then_behind_then_never_run_then_the_rest()
    {
        var report = Report(
            Table("a_ok", "succeeded"),
            Table("b_never", null),
            Table("c_failed", "failed") with { LastRun = new RunStatus { Start = Start, Outcome = "failed", Error = "provider said <no>" } },
            Table("d_behind", "behind"));

        var html = StatusPage.Render(report);

        var order = new[] { "c_failed", "d_behind", "b_never", "a_ok" }.Select(n => html.IndexOf($"data-table=\"{n}\"", StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i > 0));
        Assert.Equal(order.Order(), order);
        Assert.Contains("provider said &lt;no&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<no>", html, StringComparison.Ordinal);
        Assert.Contains("1 failing", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_shows_versions_lag_last_run_bytes_and_node_and_the_nodes_their_health()
    {
        var table = Table("orders", "succeeded") with
        {
            ReplicaVersion = 41, ProviderVersion = 43, VersionsBehind = 2, SecondsBehind = 12, Node = "host-1-abc",
            LastRun = new RunStatus { Start = Start, End = Start.AddSeconds(3.5), Outcome = "succeeded", BytesCopied = 1234567 },
        };
        var report = Report(table) with
        {
            Nodes = [new NodeStatus("host-1-abc", "alive", Start, Current: true), new NodeStatus("host-2-def", "failed", Start.AddMinutes(-1), Current: false)],
        };

        var html = StatusPage.Render(report);

        Assert.Contains("<td data-field=\"replicaVersion\" class=\"num\">41</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-field=\"providerVersion\" class=\"num\">43</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-field=\"lag\">2 versions, caught up 12 s ago</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-field=\"lastRun\">2026-03-04 05:06:07Z (3.5 s)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-field=\"bytes\" class=\"num\">1,234,567</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-field=\"node\">host-1-abc</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-node=\"host-2-def\">", html, StringComparison.Ordinal);
        Assert.Contains("b-failed\">failed</span>", html, StringComparison.Ordinal);
        Assert.Contains("host-1-abc (this node)", html, StringComparison.Ordinal);
    }

    private static DaemonStatusReport Report(params TableStatus[] tables) => new()
    {
        Node = "host-1-abc", Draining = false, Nodes = [new NodeStatus("host-1-abc", "alive", null, Current: true)], Tables = tables,
    };

    private static TableStatus Table(string name, string? outcome) => new()
    {
        Name = name, Source = $"share.default.{name}", Target = $"/replicas/{name}",
        LastRun = outcome is null ? null : new RunStatus { Start = Start, Outcome = outcome },
    };
}
