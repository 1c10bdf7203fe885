using System.Text.Json;
using ReplicaSync.SharingServer;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary><c>replicasync tables</c> as a real process, over OAuth, against a SharingServer that pages its lists.</summary>
public class TablesCliTests
{
    [Fact]
    public async Task Tables_lists_every_granted_table_across_pages_of_a_served_process_with_version_history_and_change_data()
    {
        using var work = new TempDirectory("tables-serve");
        var configPath = work.Combine("server.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(OAuthSharing.Config(), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var port = FreePort.Next();
        using var server = CliProcess.Start("serve", "--config", configPath, "--urls", $"http://127.0.0.1:{port}");
        Assert.True(await server.WaitForLineAsync(l => l.StartsWith("serving Delta Sharing at", StringComparison.Ordinal), CliProcess.DefaultTimeout),
            string.Join("\n", server.StdoutSoFar));
        var profile = work.Combine("oauth.share");
        File.WriteAllText(profile, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["shareCredentialsVersion"] = 2,
            ["type"] = "oauth_client_credentials",
            ["endpoint"] = $"http://127.0.0.1:{port}/delta-sharing",
            ["tokenEndpoint"] = $"http://127.0.0.1:{port}/delta-sharing/oauth/token",
            ["clientId"] = OAuthSharing.ClientId,
            ["clientSecret"] = OAuthSharing.Secret,
        }));

        var json = await CliProcess.RunAsync("tables", "--profile", profile, "--json");
        var text = await CliProcess.RunAsync("tables", "--profile", profile);

        Assert.True(json.ExitCode == 0, json.ToString());
        var listed = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToList();
        // Two items per page: five tables in two shares are only all there if every page was followed.
        Assert.Equal(OAuthSharing.Tables.Select(t => $"{t.Share}.{t.Schema}.{t.Table}"), listed.Select(t => t.GetProperty("qualifiedName").GetString()));
        foreach (var (entry, expected) in listed.Zip(OAuthSharing.Tables))
        {
            Assert.Equal(await OAuthSharing.LatestVersionAsync(expected.Directory), entry.GetProperty("version").GetInt64());
            Assert.Equal(expected.History, entry.GetProperty("historyShared").GetBoolean());
            Assert.Equal(expected.Table == "changes", entry.GetProperty("changeDataShared").GetBoolean());
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("error").ValueKind);
        }
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains(text.StdoutLines, l => l.Contains("sales.default.no_history", StringComparison.Ordinal) && l.Contains("no", StringComparison.Ordinal));
        Assert.Contains(text.StdoutLines, l => l.Contains("5 table(s) in 2 share(s)", StringComparison.Ordinal));
        Assert.DoesNotContain(OAuthSharing.Secret, json.Stdout + json.Stderr + text.Stdout + text.Stderr);
        var served = await server.KillAsync();
        Assert.DoesNotContain(OAuthSharing.Secret, served.Stdout + served.Stderr);
    }

    [Fact]
    public async Task Tables_reports_a_table_it_cannot_describe_and_still_lists_the_others()
    {
        await using var sharing = await OAuthSharing.StartAsync();
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.Metadata, Status = 403, Times = 1 });

        var result = await CliProcess.RunAsync("tables", "--profile", sharing.ProfilePath, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var listed = JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(OAuthSharing.Tables.Length, listed.Count);
        var failed = Assert.Single(listed, t => t.GetProperty("error").ValueKind != JsonValueKind.Null);
        Assert.Contains("HTTP 403", failed.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("changeDataShared").ValueKind);
    }

    [Fact]
    public async Task A_profile_without_clientSecret_is_refused_naming_the_field()
    {
        await using var sharing = await OAuthSharing.StartAsync();
        var profile = sharing.WriteProfileVariant("no-secret.share", "clientSecret", null);

        var result = await CliProcess.RunAsync("tables", "--profile", profile);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("field 'clientSecret' is missing", result.Stderr);
        Assert.Equal(0, sharing.Host.Faults.RequestCount(RequestKind.Token));
    }

    [Fact]
    public async Task A_401_from_the_token_endpoint_is_reported_without_the_secret()
    {
        await using var sharing = await OAuthSharing.StartAsync();
        const string wrong = "wrong-S3CRET-5f2b";
        var profile = sharing.WriteProfileVariant("wrong-secret.share", "clientSecret", wrong);

        var result = await CliProcess.RunAsync("tables", "--profile", profile);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"token endpoint {sharing.Host.TokenEndpoint} answered 401 invalid_client", result.Stderr);
        Assert.DoesNotContain(wrong, result.Stdout + result.Stderr);
        Assert.Equal(1, sharing.Host.Faults.RequestCount(RequestKind.Token));
    }

    [Fact]
    public async Task A_token_endpoint_that_is_down_is_reported_after_the_retries()
    {
        await using var sharing = await OAuthSharing.StartAsync();
        var down = $"http://127.0.0.1:{FreePort.Next()}/oauth/token";
        var profile = sharing.WriteProfileVariant("down.share", "tokenEndpoint", down);

        var result = await CliProcess.RunAsync("tables", "--profile", profile);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"token endpoint {down} could not be reached after 6 attempt(s)", result.Stderr);
        Assert.DoesNotContain(OAuthSharing.Secret, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task A_token_endpoint_answering_5xx_is_retried_until_it_recovers()
    {
        await using var sharing = await OAuthSharing.StartAsync();
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.Token, Status = 503, Times = 2 });

        var result = await CliProcess.RunAsync("tables", "--profile", sharing.ProfilePath, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, sharing.Host.Faults.RequestCount(RequestKind.Token));
        Assert.Equal(1, sharing.Host.IssuedTokens.IssuedCount);
    }
}
