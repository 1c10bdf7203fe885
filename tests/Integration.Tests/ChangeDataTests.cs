using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// The change data feed mirrored end to end: <c>replicasync serve</c> and <c>replicasync sync</c> run as real
/// processes, and the replica's change data must equal the provider's version by version, by content.
/// </summary>
public class ChangeDataTests
{
    private const string Token = "cdf-token-5b81e2";

    [Fact]
    public async Task Cdf_table_served_by_a_server_process_replicates_its_change_data_version_by_version()
    {
        var provider = TestPaths.Table("cdf-table");
        using var work = new TempDirectory("cdf-serve");
        using var replica = new TempDirectory("cdf-replica");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var (server, profile) = await ServeAsync(work, http, "cdf", provider);
        using (server)
        {
            var sync = await CliProcess.RunAsync("sync", "--table", $"{profile}#share.default.cdf", "--target", replica.Path, "--from", "0");

            Assert.True(sync.ExitCode == 0, sync.ToString());
            Assert.DoesNotContain("change data", VersionLine(sync, 0));
            Assert.Contains("[6 change data files]", VersionLine(sync, 1));
            Assert.Contains("[6 change data files]", VersionLine(sync, 2));
            Assert.Contains("[1 change data files]", VersionLine(sync, 3));
            await ReplicaComparer.AssertAlignedAsync(provider, replica.Path, "share.default.cdf");
            Assert.Equal([1L, 2L, 3L], await ChangeDataComparer.AssertSameChangeFilesAsync(provider, replica.Path, 0, 3));
            var expected = Flatten(await ChangeDataComparer.TableChangesAsync(provider, 0, 3));
            Assert.Equal(expected, Flatten(await ChangeDataComparer.TableChangesAsync(replica.Path, 0, 3)));
            // The rows compared are real change rows: inserts at 0, update images at 1 and 2, a delete at 3.
            Assert.Equal(10, expected.Count(r => r.StartsWith("0 insert ", StringComparison.Ordinal)));
            Assert.Equal(3, expected.Count(r => r.StartsWith("1 update_preimage ", StringComparison.Ordinal)));
            Assert.Equal(3, expected.Count(r => r.StartsWith("2 update_postimage ", StringComparison.Ordinal)));
            Assert.Single(expected, r => r.StartsWith("3 delete ", StringComparison.Ordinal));
            var keys = await ChangeFileKeysAsync(replica.Path, 3);
            Assert.All(keys, k => Assert.Matches("^_change_data/birthday=2023-12-2[0-9]/cdc-[0-9a-f]+\\.parquet$", k));
        }
    }

    [Fact]
    public async Task A_table_recording_change_data_from_version_3_is_mirrored_from_there_through_updates_deletes_and_hidden_rewrites()
    {
        using var provider = new TempDirectory("cdf-grown");
        using var work = new TempDirectory("cdf-grown-serve");
        using var replica = new TempDirectory("cdf-grown-replica");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var table = new ProviderTableBuilder(provider.Path);
        await table.CreateAsync("a", "b", null);                 // 0: no change data feed yet
        await table.AppendAsync("a", "b", "c");                   // 1
        await table.DeleteAsync(1);                              // 2
        await table.EnableChangeDataFeedAsync();                 // 3: change data recorded from here on
        await table.UpdateAsync(2);                              // 4
        await table.AppendAsync("c");                            // 5: appends record no change data files
        await table.DeleteWithChangeDataAsync(1);                // 6
        var (server, profile) = await ServeAsync(work, http, "grown", provider.Path);
        using (server)
        {
            var endpoint = JsonDocument.Parse(File.ReadAllText(profile)).RootElement.GetProperty("endpoint").GetString()!;
            // The provider refuses the feed for any range reaching back before version 3, as Databricks does.
            using (var refused = await GetAsync(http, $"{endpoint}/shares/share/schemas/default/tables/grown/changes?startingVersion=0&endingVersion=6"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains("change data was not recorded for version [0]", await refused.Content.ReadAsStringAsync());
            }
            using (var served = await GetAsync(http, $"{endpoint}/shares/share/schemas/default/tables/grown/changes?startingVersion=3&endingVersion=6"))
                Assert.Equal(HttpStatusCode.OK, served.StatusCode);

            var first = await CliProcess.RunAsync("sync", "--table", $"{profile}#share.default.grown", "--target", replica.Path, "--from", "0");
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.DoesNotContain("refused", first.Stdout);
            Assert.Equal([4L, 6L], await ChangeDataComparer.AssertSameChangeFilesAsync(provider.Path, replica.Path, 0, 6));

            await table.UpdateAsync(1);                          // 7
            await table.OptimizeAsync("a");                      // 8: dataChange=false, hidden from the feed
            await table.UpdateAsync(3);                          // 9: rewrites the compacted file the feed never showed
            var second = await CliProcess.RunAsync("sync", "--table", $"{profile}#share.default.grown", "--target", replica.Path, "--from", "0");

            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("[reconciled with provider snapshot]", VersionLine(second, 8));
            Assert.Matches("\\[[0-9]+ change data files\\]", VersionLine(second, 9));
            await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, "share.default.grown");
            Assert.Equal([4L, 6L, 7L, 9L], await ChangeDataComparer.AssertSameChangeFilesAsync(provider.Path, replica.Path, 0, 9));
            Assert.DoesNotContain(Token, first.Stdout + first.Stderr + second.Stdout + second.Stderr);
        }
    }

    [Fact]
    public async Task Change_data_the_provider_refuses_leaves_those_versions_without_it_and_the_replica_aligned()
    {
        var provider = TestPaths.Table("cdf-table");
        using var work = new TempDirectory("cdf-refused");
        using var replica = new TempDirectory("cdf-refused-replica");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var faults = new { rules = new[] { new { match = "changes", status = 400, times = 1 } } };
        var (server, profile) = await ServeAsync(work, http, "cdf", provider, faults);
        using (server)
        {
            var refused = await CliProcess.RunAsync("sync", "--table", $"{profile}#share.default.cdf", "--target", replica.Path, "--to-version", "1", "--from", "0");
            var served = await CliProcess.RunAsync("sync", "--table", $"{profile}#share.default.cdf", "--target", replica.Path, "--from", "0");

            Assert.True(refused.ExitCode == 0, refused.ToString());
            Assert.Contains("[change data refused by the provider]", VersionLine(refused, 0));
            Assert.Contains("[change data refused by the provider]", VersionLine(refused, 1));
            Assert.True(served.ExitCode == 0, served.ToString());
            Assert.Contains("[6 change data files]", VersionLine(served, 2));
            await ReplicaComparer.AssertAlignedAsync(provider, replica.Path, "share.default.cdf");
            var log = new DeltaLog(new LocalObjectStore(replica.Path));
            Assert.Empty((await log.ReadCommitAsync(1, null, default)).Actions.OfType<CdcFile>());
            Assert.Equal([2L, 3L], await ChangeDataComparer.AssertSameChangeFilesAsync(provider, replica.Path, 2, 3));
        }
    }

    [Fact]
    public async Task Verify_checks_change_data_files_and_lets_vacuum_take_those_of_versions_beyond_the_retention()
    {
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["cdf"] = TestPaths.Table("cdf-table") });
        using var replica = new TempDirectory("cdf-verify");
        Assert.True((await ReplicationTests.SyncAsync(sharing, "cdf", replica.Path)).Reached);

        var clean = await CliProcess.RunAsync("verify", "--target", replica.Path);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("9 files and 13 change data files", clean.Stdout);
        Assert.Contains("22 with a CRC-32C: all verified", clean.Stdout);

        var key = (await ChangeFileKeysAsync(replica.Path, 3)).Order(StringComparer.Ordinal).First();
        var file = Path.Combine(replica.Path, key);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x5A;
        await File.WriteAllBytesAsync(file, bytes);
        var corrupted = await CliProcess.RunAsync("verify", "--target", replica.Path);
        Assert.Equal(1, corrupted.ExitCode);
        Assert.Contains($"mismatch: {key}: CRC-32C", corrupted.Stdout);

        // Every version of cdf-table is years older than the week of retention: vacuum may have taken its change data.
        File.Delete(file);
        var vacuumed = await CliProcess.RunAsync("verify", "--target", replica.Path);
        Assert.True(vacuumed.ExitCode == 0, vacuumed.ToString());
        Assert.Contains("9 files and 12 change data files", vacuumed.Stdout);
    }

    private static async Task<(CliProcess Server, string Profile)> ServeAsync(TempDirectory work, HttpClient http, string table, string location, object? faults = null)
    {
        var configPath = work.Combine("server.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(new
        {
            shares = new[] { new { name = "share", schemas = new[] { new { name = "default", tables = new[] { new { name = table, location } } } } } },
            bearerTokens = new[] { Token },
            faults,
        }, new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull }));
        var (server, endpoint) = await CliTests.StartServerAsync(configPath, Token, http);
        var profile = work.Combine("provider.share");
        File.WriteAllText(profile, JsonSerializer.Serialize(new { shareCredentialsVersion = 1, endpoint, bearerToken = Token }));
        return (server, profile);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        request.Headers.Add("delta-sharing-capabilities", "responseformat=delta");
        return await http.SendAsync(request);
    }

    private static string VersionLine(CliResult result, long version) =>
        Assert.Single(result.StdoutLines, l => l.StartsWith($"version {version}:", StringComparison.Ordinal));

    private static List<string> Flatten(SortedDictionary<long, List<string>> rows) =>
        rows.SelectMany(v => v.Value.Select(r => $"{v.Key} {r}")).ToList();

    private static async Task<List<string>> ChangeFileKeysAsync(string root, long upTo)
    {
        var log = new DeltaLog(new LocalObjectStore(root));
        var keys = new List<string>();
        for (var version = 0L; version <= upTo; version++)
            keys.AddRange((await log.ReadCommitAsync(version, null, default)).Actions.OfType<CdcFile>().Select(c => Sync.ReplicaPaths.FromLogPath(c.Path)));
        return keys;
    }
}
