using System.Security.Cryptography;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

/// <summary><c>GET …/changes</c>: cdc files for versions that have them, adds/removes otherwise, 400 where change data was not recorded.</summary>
public sealed class ChangeDataFeedTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Versions_with_change_data_files_return_only_them_and_the_others_their_data_changes()
    {
        var location = TestPaths.Table("cdf-table");
        using var response = await ChangesAsync("cdf", "startingVersion=0&endingVersion=3", "responseformat=delta");
        var lines = await TestServer.LinesAsync(response);

        Assert.Equal("0", TestServer.Header(response, "Delta-Table-Version"));
        Assert.Equal("true", lines[1].GetProperty("metaData").GetProperty("deltaMetadata").GetProperty("configuration")
            .GetProperty("delta.enableChangeDataFeed").GetString());
        var files = TestServer.Wrapped(lines, "file").ToList();
        var byVersion = files.GroupBy(f => f.GetProperty("version").GetInt64())
            .ToDictionary(g => g.Key, g => g.Select(f => f.GetProperty("deltaSingleAction").EnumerateObject().Single().Name).ToList());
        Assert.Equal(Enumerable.Repeat("add", 10), byVersion[0]);
        Assert.Equal(Enumerable.Repeat("cdc", 6), byVersion[1]);
        Assert.Equal(Enumerable.Repeat("cdc", 6), byVersion[2]);
        Assert.Equal(["cdc"], byVersion[3]);

        // Each cdc line keeps its action (dataChange=false, partition values, size) and points at the change file's bytes.
        foreach (var file in files.Where(f => f.GetProperty("deltaSingleAction").TryGetProperty("cdc", out _)))
        {
            var cdc = file.GetProperty("deltaSingleAction").GetProperty("cdc");
            Assert.False(cdc.GetProperty("dataChange").GetBoolean());
            Assert.Equal(file.GetProperty("version").GetInt64() switch { 1 => 1703265021675, 2 => 1703886093785, _ => 1704559499570 },
                file.GetProperty("timestamp").GetInt64());
            var key = SnapshotQueryTests.Key(cdc.GetProperty("path").GetString()!, "cdf");
            Assert.StartsWith("_change_data/birthday=", key);
            var bytes = await Server.Http.GetByteArrayAsync(cdc.GetProperty("path").GetString());
            Assert.Equal(cdc.GetProperty("size").GetInt64(), bytes.Length);
            Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(location, key))), SHA256.HashData(bytes));
        }
    }

    [Fact]
    public async Task The_parquet_format_names_change_data_files_cdf_lines()
    {
        var lines = await TestServer.LinesAsync(await ChangesAsync("cdf", "startingVersion=3", null));
        var cdf = Assert.Single(TestServer.Wrapped(lines, "cdf"));
        Assert.Equal(3, cdf.GetProperty("version").GetInt64());
        Assert.Equal("2023-12-29", cdf.GetProperty("partitionValues").GetProperty("birthday").GetString());
        Assert.Equal(971, cdf.GetProperty("size").GetInt64());
        Assert.Empty(TestServer.Wrapped(lines, "add").Concat(TestServer.Wrapped(lines, "remove")));
    }

    [Fact]
    public async Task A_table_that_never_recorded_change_data_is_refused_naming_the_version()
    {
        using var response = await ChangesAsync("simple_table", "startingVersion=1&endingVersion=2", "responseformat=delta");
        var text = await response.Content.ReadAsStringAsync();
        await TestServer.AssertErrorAsync(response, 400, "INVALID_PARAMETER_VALUE");
        Assert.Contains("change data was not recorded for version [1]", text);
    }

    [Theory]
    [InlineData("endingVersion=2")]
    [InlineData("startingVersion=0&startingTimestamp=2023-12-22T00:00:00Z")]
    [InlineData("startingVersion=-1")]
    [InlineData("startingVersion=4")]
    [InlineData("startingVersion=2&endingVersion=1")]
    [InlineData("startingVersion=0&maxFiles=0")]
    [InlineData("startingVersion=0&includeHistoricalMetadata=yes")]
    public async Task Bad_ranges_and_parameters_are_400(string query) =>
        await TestServer.AssertErrorAsync(await ChangesAsync("cdf", query, "responseformat=delta"), 400);

    [Fact]
    public async Task A_table_without_shared_history_has_no_change_data_feed() =>
        await TestServer.AssertErrorAsync(await ChangesAsync("simple_table", "startingVersion=0", null, schema: "nohistory"), 400);

    [Fact]
    public async Task The_end_is_clamped_to_the_latest_version_and_timestamps_resolve_to_versions()
    {
        var clamped = await TestServer.LinesAsync(await ChangesAsync("cdf", "startingVersion=3&endingVersion=99", "responseformat=delta"));
        Assert.Single(TestServer.Wrapped(clamped, "file"));
        // Version 2 was committed at 21:41 that day: the first version at or after 22:00 is 3.
        var byTime = await TestServer.LinesAsync(await ChangesAsync("cdf", "startingTimestamp=2023-12-29T22:00:00Z", "responseformat=delta"));
        Assert.All(TestServer.Wrapped(byTime, "file"), f => Assert.Equal(3, f.GetProperty("version").GetInt64()));
    }

    private Task<HttpResponseMessage> ChangesAsync(string table, string query, string? capabilities, string schema = TestServer.Schema)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Server.TableUrl(table, schema: schema) + "/changes?" + query);
        if (capabilities is not null)
            request.Headers.Add("delta-sharing-capabilities", capabilities);
        return Server.Http.SendAsync(request);
    }
}
