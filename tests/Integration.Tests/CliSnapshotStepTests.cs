using System.Text.Json;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// <c>replicasync sync</c> and <c>status</c> against <c>replicasync serve</c>, both real processes: the default start
/// (latest) and what it will copy, a table shared without history followed by snapshot steps, and which versions a
/// replica holds.
/// </summary>
public class CliSnapshotStepTests
{
    private const string Token = "steps-token-81f0c2a7";

    [Fact]
    public async Task A_table_without_history_starts_at_latest_by_default_and_is_followed_by_snapshot_steps()
    {
        using var work = new TempDirectory("cli-steps");
        using var replicas = new TempDirectory("cli-steps-replicas");
        var noHistory = new ProviderTableBuilder(work.Combine("nohistory"));
        await noHistory.CreateAsync("a", "b");
        await noHistory.AppendAsync("a");
        var withHistory = new ProviderTableBuilder(work.Combine("history"), seed: 7);
        await withHistory.CreateAsync("a", "b");
        await withHistory.AppendAsync("a");
        await withHistory.OptimizeAsync("a");

        var config = work.Combine("server.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            shares = new[]
            {
                new
                {
                    name = "share",
                    schemas = new[]
                    {
                        new
                        {
                            name = "default",
                            tables = new object[]
                            {
                                new { name = "nohistory", location = noHistory.Root, historyShared = false },
                                new { name = "history", location = withHistory.Root, historyShared = true },
                            },
                        },
                    },
                },
            },
            bearerTokens = new[] { Token },
        }));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var (server, endpoint) = await CliTests.StartServerAsync(config, Token, http);
        using (server)
        {
            var profile = work.Combine("served.share");
            File.WriteAllText(profile, JsonSerializer.Serialize(new { shareCredentialsVersion = 1, endpoint, bearerToken = Token }));
            var steps = replicas.Combine("nohistory");

            // Default start: the latest snapshot, its cost printed before the version it copies.
            var first = await SyncAsync(profile, "nohistory", steps);
            var costLine = Line(first, "share.default.nohistory: new replica, snapshot at version 1: will copy 3 files (");
            Assert.True(costLine < Line(first, "version 1:"), first.ToString());

            await noHistory.AppendAsync("c");
            await noHistory.DeleteAsync(1);
            await noHistory.OptimizeAsync("a");
            var second = await SyncAsync(profile, "nohistory", steps);
            Line(second, "version 4: ", "[snapshot step from 1: the provider shares no history]");
            await StepReplicaCheck.AssertHeldAlignedAsync(noHistory.Root, steps, "share.default.nohistory", 1, 4);

            var status = await CliProcess.RunAsync("status", "--target", steps);
            Line(status, "versions held:    snapshot steps at 1, 4");
            var json = await CliProcess.RunAsync("status", "--target", steps, "--json");
            Assert.Equal("snapshot steps at 1, 4", JsonDocument.Parse(json.Stdout).RootElement.GetProperty("versionsHeld").GetString());

            // With history: the default is still latest; --from 0 says it will copy every file ever added.
            var latest = replicas.Combine("latest");
            Line(await SyncAsync(profile, "history", latest), "share.default.history: new replica, snapshot at version 2: will copy 2 files (");
            await withHistory.AppendAsync("b");
            await SyncAsync(profile, "history", latest);
            Line(await CliProcess.RunAsync("status", "--target", latest), "versions held:    from 2 (snapshot), then every version");

            var full = replicas.Combine("full");
            var fromZero = await SyncAsync(profile, "history", full, "--from", "0");
            Assert.True(Line(fromZero, "share.default.history: new replica, full history from version 0: will copy 4 files (", "over 4 versions")
                < Line(fromZero, "version 0:"), fromZero.ToString());
            Line(await CliProcess.RunAsync("status", "--target", full), "versions held:    full history from 0");
            await ReplicaComparer.AssertAlignedAsync(withHistory.Root, full, "share.default.history");

            await server.KillAsync();
        }
    }

    private static async Task<CliResult> SyncAsync(string profile, string table, string target, params string[] more)
    {
        var result = await CliProcess.RunAsync(["sync", "--table", $"{profile}#share.default.{table}", "--target", target, .. more], CliProcess.DefaultTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>The index of the stdout line that starts with <paramref name="start"/> (and contains <paramref name="contains"/>); fails when none does.</summary>
    private static int Line(CliResult result, string start, string contains = "")
    {
        var index = result.StdoutLines.ToList().FindIndex(l => l.StartsWith(start, StringComparison.Ordinal) && l.Contains(contains, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no line starts with '{start}'{(contains.Length > 0 ? $" and contains '{contains}'" : "")}:\n{result}");
        return index;
    }
}
