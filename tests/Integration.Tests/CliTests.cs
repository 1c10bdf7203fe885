using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ReplicaSync.Delta;
using ReplicaSync.SharingServer;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Integration.Tests;

/// <summary>The real <c>replicasync</c> executable, run as a child process: sync, status, serve and its error paths.</summary>
public class CliTests(ITestOutputHelper output)
{
    private const string WrongToken = "wrong-secret-5b1e2d90c4";

    [Theory]
    [InlineData("delta-0.8.0-partitioned")]
    [InlineData("simple_table")]
    public async Task Sync_prints_one_line_per_provider_version_in_order_aligns_the_replica_and_a_rerun_is_a_no_op(string directory)
    {
        var table = directory.Replace('.', '_'); // table names in a share may not contain '.'
        var providerRoot = TestPaths.Table(directory);
        var providerVersion = (await new DeltaLog(new LocalObjectStore(providerRoot)).LatestVersionAsync(default))!.Value;
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = providerRoot });
        using var replica = new TempDirectory("cli-replica");
        var address = sharing.Address(table);

        var first = await CliProcess.RunAsync("sync", "--table", address.ToString(), "--target", replica.Path, "--from", "0");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Empty(first.StderrLines);
        var versionLines = first.StdoutLines.Where(IsVersionLine).ToList();
        Assert.Equal(
            Enumerable.Range(0, (int)providerVersion + 1).Select(v => $"version {v}"),
            versionLines.Select(l => l[..l.IndexOf(':')]));
        Assert.Contains($"{address.QualifiedName}: replica at version {providerVersion} (provider at {providerVersion})", first.StdoutLines[^1]);
        await ReplicaComparer.AssertAlignedAsync(providerRoot, replica.Path, address.QualifiedName);
        var logBefore = Directory.GetFiles(Path.Combine(replica.Path, "_delta_log")).Order().ToList();

        var second = await CliProcess.RunAsync("sync", "--table", address.ToString(), "--target", replica.Path);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain(second.StdoutLines, IsVersionLine);
        Assert.Contains(second.StdoutLines, l => l.Contains($"replica already at version {providerVersion}", StringComparison.Ordinal));
        Assert.Equal(logBefore, Directory.GetFiles(Path.Combine(replica.Path, "_delta_log")).Order().ToList());
    }

    [Fact]
    public async Task Sync_to_version_1_stops_there_and_status_reports_what_the_replica_log_says()
    {
        const string table = "simple_table";
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = TestPaths.Table(table) });
        using var replica = new TempDirectory("cli-replica");
        var address = sharing.Address(table);

        var sync = await CliProcess.RunAsync("sync", "--table", address.ToString(), "--target", replica.Path, "--to-version", "1", "--from", "0");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Equal(["version 0", "version 1"], sync.StdoutLines.Where(IsVersionLine).Select(l => l[..l.IndexOf(':')]));
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table(table), replica.Path, address.QualifiedName, upTo: 1);

        var snapshot = (await new DeltaLog(new LocalObjectStore(replica.Path)).LoadSnapshotAsync(null, default))!;
        Assert.Equal(1, snapshot.Version);

        var text = await CliProcess.RunAsync("status", "--target", replica.Path);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains(text.StdoutLines, l => l.StartsWith("version:", StringComparison.Ordinal) && l.Split(':')[1].Trim() == "1");
        Assert.Contains(text.StdoutLines, l => l.StartsWith("provider table:", StringComparison.Ordinal) && l.EndsWith(address.QualifiedName, StringComparison.Ordinal));
        Assert.Contains(text.StdoutLines, l => l.StartsWith("files:", StringComparison.Ordinal) && l.Split(':')[1].Trim() == snapshot.Files.Count.ToString());

        var json = await CliProcess.RunAsync("status", "--target", replica.Path, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Stdout);
        var root = document.RootElement;
        Assert.Equal(snapshot.Version, root.GetProperty("version").GetInt64());
        Assert.Equal(snapshot.Files.Count, root.GetProperty("files").GetInt64());
        Assert.Equal(snapshot.SizeInBytes, root.GetProperty("bytes").GetInt64());
        Assert.Equal(address.QualifiedName, root.GetProperty("providerTable").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(snapshot.Timestamp), root.GetProperty("lastCommitTime").GetDateTimeOffset());
        Assert.True(snapshot.SizeInBytes > 0 && snapshot.Files.Count > 0);
    }

    [Fact]
    public async Task Sync_to_a_version_beyond_the_provider_fails_clearly_and_writes_nothing()
    {
        const string table = "simple_table";
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = TestPaths.Table(table) });
        using var replica = new TempDirectory("cli-replica");

        var result = await CliProcess.RunAsync("sync", "--table", sharing.Address(table).ToString(), "--target", replica.Path, "--to-version", "99");

        Assert.True(result.ExitCode != 0, result.ToString());
        var error = Assert.Single(result.StderrLines);
        Assert.StartsWith("error:", error);
        Assert.Contains("version 99", error);
        Assert.Contains("at version 4", error); // the provider's latest, so the user knows what to ask for
        Assert.DoesNotContain(result.StdoutLines, IsVersionLine);
        Assert.False(Directory.Exists(Path.Combine(replica.Path, "_delta_log")));
    }

    public static TheoryData<string> BadInputs => ["wrong-token", "unknown-table", "malformed-profile", "unparsable-profile", "no-hash", "missing-profile", "status-without-replica"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_gives_one_clear_line_on_stderr_a_non_zero_exit_and_never_the_token(string kind)
    {
        const string table = "simple_table";
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = TestPaths.Table(table) });
        using var work = new TempDirectory("cli-bad");
        var replica = work.Combine("replica");
        var endpoint = sharing.Host.Endpoint.ToString();

        string Profile(string name, string json)
        {
            var path = work.Combine(name);
            File.WriteAllText(path, json);
            return path;
        }

        string[] Sync(string tableArg) => ["sync", "--table", tableArg, "--target", replica];

        var (args, expected) = kind switch
        {
            "wrong-token" => (Sync(sharing.Host.WriteProfile(work.Combine("wrong.share"), WrongToken) + $"#share.default.{table}"), "HTTP 401"),
            "unknown-table" => (Sync($"{sharing.ProfilePath}#share.default.no_such_table"), "HTTP 404"),
            "malformed-profile" => (Sync(Profile("bad.share",
                $$"""{"shareCredentialsVersion": 1, "endpoint": "ftp://example.invalid/?t={{SharingFixture.Token}}", "bearerToken": "{{SharingFixture.Token}}"}""")
                + $"#share.default.{table}"), "field 'endpoint'"),
            "unparsable-profile" => (Sync(Profile("broken.share",
                $$"""{"shareCredentialsVersion": 1, "bearerToken": "{{SharingFixture.Token}}" "endpoint": "{{endpoint}}"}""")
                + $"#share.default.{table}"), "not valid JSON"),
            "no-hash" => (Sync($"{sharing.ProfilePath}share.default.{table}"), "no '#' found"),
            "missing-profile" => (Sync(work.Combine("does-not-exist.share") + $"#share.default.{table}"), "cannot read the profile file"),
            "status-without-replica" => (["status", "--target", work.Path], "no replica here"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var result = await CliProcess.RunAsync(args);
        output.WriteLine(result.ToString());

        Assert.True(result.ExitCode != 0, result.ToString());
        var error = Assert.Single(result.StderrLines);
        Assert.Contains(expected, error);
        Assert.Empty(result.StdoutLines);
        foreach (var token in new[] { SharingFixture.Token, WrongToken })
        {
            Assert.DoesNotContain(token, result.Stdout);
            Assert.DoesNotContain(token, result.Stderr);
        }
        Assert.False(Directory.Exists(Path.Combine(replica, "_delta_log")), "a failed sync must not create a replica");
    }

    [Fact]
    public async Task Sync_checkpoints_by_the_policy_its_flags_give()
    {
        const string table = "simple_table";
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = TestPaths.Table(table) });
        using var replica = new TempDirectory("cli-replica");
        string[] sync = ["sync", "--table", sharing.Address(table).ToString(), "--target", replica.Path, "--from", "0"];

        var refused = await CliProcess.RunAsync([.. sync, "--checkpoint-every", "-1"]);
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains("--checkpoint-every must be 0 or more", refused.Stderr);

        // Five commits, at most one checkpoint per two and none by time during the run: only the end writes one.
        var result = await CliProcess.RunAsync([.. sync, "--checkpoint-every", "2", "--checkpoint-interval", "3600"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["00000000000000000004.checkpoint.parquet"],
            Directory.GetFiles(Path.Combine(replica.Path, "_delta_log"), "*.checkpoint.parquet").Select(Path.GetFileName));
    }

    [Fact]
    public async Task Sync_sizes_its_change_feed_requests_by_the_files_per_request_flag()
    {
        using var provider = new TempDirectory("cli-provider");
        await CopyFaultTests.BuildAsync(provider.Path, versions: 12, filesPerVersion: 2, (100, 200));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        using var replica = new TempDirectory("cli-replica");
        string[] sync = ["sync", "--table", sharing.Address("t").ToString(), "--target", replica.Path, "--from", "0"];

        var refused = await CliProcess.RunAsync([.. sync, "--files-per-request", "0"]);
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains("--files-per-request", refused.Stderr);

        // Versions 0..7 first (14 lines: 1.75 per version), then one version per request to hold 2 lines: 1 + 4, twice
        // (the run's start reads the feed once to announce its cost, then once to copy).
        var result = await CliProcess.RunAsync([.. sync, "--files-per-request", "2"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2 * 5, sharing.Host.Faults.RequestCount(RequestKind.Query));
        await CopyFaultTests.AssertValidReplicaAsync(provider.Path, replica.Path, sharing);
    }

    [Fact]
    public async Task Sync_rejects_a_negative_to_version_instead_of_reporting_success()
    {
        const string table = "simple_table";
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = TestPaths.Table(table) });
        using var replica = new TempDirectory("cli-replica");

        var result = await CliProcess.RunAsync("sync", "--table", sharing.Address(table).ToString(), "--target", replica.Path, "--to-version", "-3");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("--to-version must be 0 or more", result.Stderr);
        Assert.DoesNotContain(SharingFixture.Token, result.Stdout + result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(replica.Path, "_delta_log")));
    }

    [Fact]
    public async Task Serve_with_an_invalid_config_names_every_problem_by_path_without_a_stack_trace_or_the_token()
    {
        const string token = "serve-token-bad-config-41d2";
        using var work = new TempDirectory("cli-serve-bad");
        var configPath = work.Combine("server.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(new
        {
            shares = new[]
            {
                new { name = "share", schemas = new[] { new { name = "default", tables = new[] { new { name = "has.dot", location = work.Combine("missing") } } } } },
            },
            bearerTokens = new[] { token },
        }));

        var result = await CliProcess.RunAsync("serve", "--config", configPath, "--urls", "http://127.0.0.1:0");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.StartsWith("error: invalid sharing server configuration", result.StderrLines[0]);
        Assert.Contains(result.StderrLines, l => l.StartsWith("shares[0].schemas[0].tables[0].name:", StringComparison.Ordinal));
        Assert.Contains(result.StderrLines, l => l.StartsWith("shares[0].schemas[0].tables[0].location:", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", result.Stderr);
        Assert.DoesNotContain(result.StderrLines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain(token, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Serve_stops_cleanly_on_SIGTERM()
    {
        if (OperatingSystem.IsWindows())
            return; // no POSIX signals
        const string token = "serve-token-sigterm-9a7e";
        using var work = new TempDirectory("cli-serve-term");
        var configPath = work.Combine("server.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(new
        {
            shares = new[]
            {
                new { name = "share", schemas = new[] { new { name = "default", tables = new[] { new { name = "simple_table", location = TestPaths.Table("simple_table") } } } } },
            },
            bearerTokens = new[] { token },
        }));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var (server, endpoint) = await StartServerAsync(configPath, token, http);
        using (server)
        {
            CliProcess.SendTerm(server.Id);

            // Bounded: a server that ignores SIGTERM is killed after the timeout and the test fails.
            var stopped = await server.WaitForExitAsync(CliProcess.DefaultTimeout);

            Assert.True(stopped.ExitCode == 0, stopped.ToString());
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(endpoint + "/shares"));
        }
    }

    [Fact]
    public async Task Serve_runs_a_sharing_server_that_sync_replicates_from()
    {
        const string table = "simple_table";
        const string token = "serve-token-3c9e1f07";
        using var work = new TempDirectory("cli-serve");
        using var replica = new TempDirectory("cli-replica");
        var configPath = work.Combine("server.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(new
        {
            shares = new[]
            {
                new { name = "share", schemas = new[] { new { name = "default", tables = new[] { new { name = table, location = TestPaths.Table(table) } } } } },
            },
            bearerTokens = new[] { token },
        }));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var (server, endpoint) = await StartServerAsync(configPath, token, http);
        using (server)
        {
            // Auth is enforced in the served process too.
            using (var anonymous = await http.GetAsync(endpoint + "/shares"))
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

            var profile = work.Combine("served.share");
            File.WriteAllText(profile, JsonSerializer.Serialize(new { shareCredentialsVersion = 1, endpoint, bearerToken = token }));
            var address = $"{profile}#share.default.{table}";

            var sync = await CliProcess.RunAsync("sync", "--table", address, "--target", replica.Path, "--from", "0");

            Assert.True(sync.ExitCode == 0, sync.ToString());
            Assert.Equal(5, sync.StdoutLines.Count(IsVersionLine));
            await ReplicaComparer.AssertAlignedAsync(TestPaths.Table(table), replica.Path, $"share.default.{table}");
            Assert.True(await server.WaitForLineAsync(l => l.Contains($"serving Delta Sharing at {endpoint}", StringComparison.Ordinal), TimeSpan.FromSeconds(30)),
                "serve did not announce its endpoint");

            var stopped = await server.KillAsync();
            Assert.True(server.HasExited);
            Assert.DoesNotContain(token, stopped.Stdout + stopped.Stderr + sync.Stdout + sync.Stderr);
        }
    }

    /// <summary>
    /// Starts <c>serve</c> on a free loopback port and polls (bounded) until <c>GET /shares</c> with the token answers 200.
    /// A port taken between probing and binding makes the server exit; that is retried with another port.
    /// </summary>
    internal static async Task<(CliProcess Server, string Endpoint)> StartServerAsync(string configPath, string token, HttpClient http)
    {
        for (var attempt = 1; ; attempt++)
        {
            var endpoint = $"http://127.0.0.1:{FreePort.Next()}/delta-sharing";
            var server = CliProcess.Start("serve", "--config", configPath, "--urls", new Uri(endpoint).GetLeftPart(UriPartial.Authority));
            var deadline = DateTime.UtcNow + CliProcess.DefaultTimeout;
            while (!server.HasExited && DateTime.UtcNow < deadline)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, endpoint + "/shares");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await http.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.OK)
                        return (server, endpoint);
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                catch (TaskCanceledException)
                {
                    // request timed out; try again
                }
                await Task.Delay(100);
            }
            var output = await server.KillAsync();
            server.Dispose();
            if (attempt == 3 || !output.Stderr.Contains("address", StringComparison.OrdinalIgnoreCase))
                Assert.Fail($"serve did not answer GET /shares with 200 (attempt {attempt}).\n{output}");
        }
    }

    private static bool IsVersionLine(string line) => line.StartsWith("version ", StringComparison.Ordinal);
}
