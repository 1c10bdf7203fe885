using System.Net;
using System.Text.Json.Nodes;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>
/// The daemon with an OAuth profile: it re-reads the profile before every run, so a rotated secret takes effect without
/// a restart, and reuses a still-fresh token across runs.
/// </summary>
public class DaemonOAuthTests
{
    [Fact]
    public async Task A_run_that_fails_on_a_wrong_secret_succeeds_once_the_profile_holds_the_new_one()
    {
        await using var sharing = await OAuthSharing.StartAsync();
        using var replicas = new TempDirectory("daemon-oauth");
        const string table = "orders";
        const string oldSecret = "old-S3CRET-rotated-away";
        var profile = sharing.WriteProfileVariant("daemon.share", "clientSecret", oldSecret);
        var config = new JsonObject
        {
            ["startupJitterSeconds"] = 0,
            ["tables"] = new JsonObject
            {
                [table] = new JsonObject
                {
                    ["source"] = $"{profile}#sales.default.simple_table",
                    ["target"] = Path.Combine(replicas.Path, table),
                    ["cron"] = "0 0 0 1 1 ? 2099",
                },
            },
        };
        using var daemon = await DaemonProcess.StartAsync(replicas.Combine("daemon.json"), config);

        Assert.Equal(HttpStatusCode.Accepted, (await daemon.Http.PostAsync($"/tables/{table}/sync", null)).StatusCode);
        await daemon.WaitUntilAsync(async () => (string?)(await daemon.TableAsync(table))["lastRun"]?["outcome"] == "failed", "a failed run");
        var failed = await daemon.TableAsync(table);
        Assert.Contains("answered 401 invalid_client", (string?)failed["lastRun"]!["error"]);
        Assert.Contains("replicasync_errors_total{kind=\"provider_auth\",table=\"orders\"}", await daemon.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);

        File.Copy(sharing.ProfilePath, profile, overwrite: true);
        Assert.Equal(HttpStatusCode.Accepted, (await daemon.Http.PostAsync($"/tables/{table}/sync", null)).StatusCode);
        await daemon.WaitForReplicaVersionAsync(table, await OAuthSharing.LatestVersionAsync("simple_table"));
        // A later run re-reads the unchanged profile and reuses the cached token instead of exchanging again.
        var previousStart = (string?)(await daemon.TableAsync(table))["lastRun"]!["start"];
        Assert.Equal(HttpStatusCode.Accepted, (await daemon.Http.PostAsync($"/tables/{table}/sync", null)).StatusCode);
        await daemon.WaitUntilAsync(async () => (await daemon.TableAsync(table))["lastRun"] is { } run
            && (string?)run["start"] != previousStart && (string?)run["outcome"] == "succeeded", "a second successful run");
        Assert.Equal(1, sharing.Host.IssuedTokens.IssuedCount);
        var stopped = await daemon.TerminateAsync();

        Assert.DoesNotContain(oldSecret, stopped.Stdout + stopped.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(OAuthSharing.Secret, stopped.Stdout + stopped.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(oldSecret, failed.ToJsonString(), StringComparison.Ordinal);
    }
}
