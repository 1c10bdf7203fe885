using System.Text.Json.Nodes;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>A run that fails is logged, counted by kind and shown on /status, and the secret that failed never appears.</summary>
public sealed class DaemonFailureTests
{
    private const string WrongToken = "wrong-token-5b2e91c4d7";

    [Fact]
    public async Task A_rejected_token_fails_the_run_visibly_without_printing_the_token()
    {
        using var provider = new TempDirectory("daemon-fail-provider");
        using var replicas = new TempDirectory("daemon-fail-replicas");
        var table = new ProviderTableBuilder(provider.Path, seed: 3);
        await table.CreateAsync("a");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        var profile = sharing.Dir.Combine("wrong.share");
        var good = JsonNode.Parse(await File.ReadAllTextAsync(sharing.ProfilePath))!;
        good["bearerToken"] = WrongToken;
        await File.WriteAllTextAsync(profile, good.ToJsonString());
        var config = DaemonConfig.For(sharing, replicas.Path, ("t", "1"));
        config["tables"]!["t"]!["source"] = $"{profile}#{SharingFixture.Share}.{SharingFixture.Schema}.t";

        using var daemon = await DaemonProcess.StartAsync(sharing.Dir.Combine("daemon.json"), config);
        // The status that shows the failed run is kept: the table runs every second, so a later read may show the next run.
        JsonNode status = null!;
        await daemon.WaitUntilAsync(async () => (string?)(status = await daemon.TableAsync("t"))["lastRun"]?["outcome"] == "failed", "a failed run");
        var metrics = await daemon.Http.GetStringAsync("/metrics");
        var stopped = await daemon.TerminateAsync();

        Assert.False(string.IsNullOrEmpty((string?)status["lastRun"]!["error"]));
        Assert.Null((string?)status["lastSuccess"]);
        Assert.Contains("replicasync_errors_total{kind=\"provider_auth\",table=\"t\"}", metrics, StringComparison.Ordinal);
        Assert.Contains(stopped.StdoutLines, l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) && l.Contains("run failed", StringComparison.Ordinal));
        Assert.DoesNotContain(WrongToken, stopped.Stdout + stopped.Stderr + status.ToJsonString() + metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(SharingFixture.Token, stopped.Stdout + stopped.Stderr, StringComparison.Ordinal);
    }
}
