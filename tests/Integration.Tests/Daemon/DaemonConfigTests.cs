using System.Text.Json.Nodes;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>An invalid configuration stops <c>replicasync run</c> before it starts anything, listing every problem with its key.</summary>
public sealed class DaemonConfigTests
{
    [Fact]
    public async Task Every_problem_of_an_invalid_config_is_listed_with_its_key_and_nothing_starts()
    {
        using var dir = new TempDirectory("daemon-config");
        await File.WriteAllTextAsync(dir.Combine("good.share"), """{"shareCredentialsVersion":1,"endpoint":"http://127.0.0.1:9/ds","bearerToken":"secret-token-in-profile"}""");
        var config = new JsonObject
        {
            ["maxConcurrentRuns"] = 0,
            ["shutdownGrace"] = 5,
            ["otlp"] = new JsonObject { ["endpoint"] = "collector:4317" },
            ["tables"] = new JsonObject
            {
                ["bad_cron"] = new JsonObject { ["source"] = "good.share#s.d.t", ["target"] = "r1", ["cron"] = "every minute" },
                ["no_profile"] = new JsonObject { ["source"] = "missing.share#s.d.t", ["target"] = "r2", ["intervalSeconds"] = 60 },
                ["bad_address"] = new JsonObject { ["source"] = "good.share#only.two", ["target"] = "r3", ["intervalSeconds"] = 60 },
                ["bad_scheme"] = new JsonObject { ["source"] = "good.share#s.d.t", ["target"] = "ftp://host/replica", ["intervalSeconds"] = 60 },
                ["no_schedule"] = new JsonObject { ["source"] = "good.share#s.d.t", ["target"] = "r5", ["intervalSecs"] = 60 },
            },
        };
        var path = dir.Combine("daemon.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());

        var result = await CliProcess.RunAsync("run", "--config", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        string[] keys =
        [
            "maxConcurrentRuns:", "shutdownGrace: unknown setting", "otlp:endpoint:", "tables:bad_cron:cron:", "tables:no_profile:source: unreadable profile",
            "tables:bad_address:source:", "tables:bad_scheme:target:", "tables:no_schedule:intervalSecs: unknown setting", "tables:no_schedule:cron:",
        ];
        foreach (var key in keys)
            Assert.Contains(key, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("the configuration has 9 problem(s)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-in-profile", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("r1")), "nothing may be created when the configuration is invalid");
    }

    [Fact]
    public async Task Environment_variables_override_the_file_and_are_validated_the_same_way()
    {
        using var dir = new TempDirectory("daemon-config-env");
        await File.WriteAllTextAsync(dir.Combine("p.share"), """{"shareCredentialsVersion":1,"endpoint":"http://127.0.0.1:9/ds","bearerToken":"t"}""");
        var path = dir.Combine("daemon.json");
        await File.WriteAllTextAsync(path, """{ "tables": { "t": { "source": "p.share#s.d.t", "target": "r", "intervalSeconds": 60 } } }""");

        var result = await CliProcess.RunAsync(["run", "--config", path], CliProcess.DefaultTimeout,
            new Dictionary<string, string> { ["REPLICASYNC__tables__t__cron"] = "0 0 * * * ?", ["REPLICASYNC__maxConcurrentRuns"] = "lots" });

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("tables:t:cron: give exactly one of cron and intervalSeconds", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("maxConcurrentRuns: 'lots' is not a number", result.Stderr, StringComparison.Ordinal);
    }
}
