using System.Net;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

public sealed class VersionAndMetadataTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    // commitInfo.timestamp of simple_table's commits 0..4.
    private static readonly long[] SimpleTableTimes = [1587968586154, 1587968596254, 1587968604143, 1587968614187, 1587968626537];

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task VersionIsTheLatestInTheHeaderWithAnEmptyBody()
    {
        using var response = await Server.Http.GetAsync(Server.TableUrl("simple_table") + "/version");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4", TestServer.Header(response, "Delta-Table-Version"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task DeprecatedHeadReturnsTheVersionHeaderOnly()
    {
        using var response = await Server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Server.TableUrl("delta_0_8_0")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", TestServer.Header(response, "Delta-Table-Version"));
        using var missing = await Server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Server.TableUrl("nope")));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData(1587968486154, 0)] // well before v0
    [InlineData(1587968586154, 0)] // v0's time
    [InlineData(1587968586155, 1)] // just after v0
    [InlineData(1587968596254, 1)] // exactly v1's time
    [InlineData(1587968626537, 4)] // exactly the last commit
    public async Task StartingTimestampGivesTheFirstCommitAtOrAfterIt(long timestamp, long expected)
    {
        using var response = await Server.Http.GetAsync(Server.TableUrl("simple_table") + "/version?startingTimestamp=" + Iso(timestamp));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected.ToString(), TestServer.Header(response, "Delta-Table-Version"));
    }

    [Fact]
    public async Task StartingTimestampAcceptsOffsets()
    {
        // 2020-04-27T06:23:16.254Z (commit 1) written in +02:00.
        using var response = await Server.Http.GetAsync(Server.TableUrl("simple_table") + "/version?startingTimestamp=" + Uri.EscapeDataString("2020-04-27T08:23:16.254+02:00"));
        Assert.Equal("1", TestServer.Header(response, "Delta-Table-Version"));
    }

    [Fact]
    public async Task StartingTimestampAfterTheLastCommitOrMalformedOrWithoutHistoryIs400()
    {
        var url = Server.TableUrl("simple_table") + "/version?startingTimestamp=";
        await TestServer.AssertErrorAsync(await Server.Http.GetAsync(url + Iso(SimpleTableTimes[4] + 1)), 400, "INVALID_PARAMETER_VALUE");
        await TestServer.AssertErrorAsync(await Server.Http.GetAsync(url + "2020-04-27"), 400, "INVALID_PARAMETER_VALUE");
        await TestServer.AssertErrorAsync(await Server.Http.GetAsync(url + "2020-04-27T06:00:00"), 400, "INVALID_PARAMETER_VALUE");
        var noHistory = Server.TableUrl("simple_table", schema: "nohistory") + "/version?startingTimestamp=" + Iso(SimpleTableTimes[0]);
        await TestServer.AssertErrorAsync(await Server.Http.GetAsync(noHistory), 400, "INVALID_PARAMETER_VALUE");
        using var plain = await Server.Http.GetAsync(Server.TableUrl("simple_table", schema: "nohistory") + "/version");
        Assert.Equal("4", TestServer.Header(plain, "Delta-Table-Version"));
    }

    [Theory]
    [InlineData("simple_table")]
    [InlineData("delta_0_8_0")]
    [InlineData("partitioned")]
    [InlineData("special_partition")]
    [InlineData("simple_checkpoint")]
    [InlineData("python_checkpoint")]
    [InlineData("cdf")]
    public async Task MetadataIsExactlyProtocolAndMetaDataWithLiveFileTotals(string table)
    {
        var location = TestPaths.Table(TestServer.Tables[table]);
        var expected = await LogFiles.SnapshotAsync(location);
        using var response = await Server.Http.GetAsync(Server.TableUrl(table) + "/metadata");
        var lines = await TestServer.LinesAsync(response);

        Assert.Equal(2, lines.Count);
        Assert.Equal(expected.Version.ToString(), TestServer.Header(response, "Delta-Table-Version"));
        Assert.Equal("responseformat=parquet", TestServer.Header(response, "delta-sharing-capabilities"));
        Assert.Equal(1, lines[0].GetProperty("protocol").GetProperty("minReaderVersion").GetInt32());
        var metadata = lines[1].GetProperty("metaData");
        Assert.Equal(expected.Metadata!.Id, metadata.GetProperty("id").GetString());
        Assert.Equal("parquet", metadata.GetProperty("format").GetProperty("provider").GetString());
        Assert.Equal(expected.Metadata.PartitionColumns, metadata.GetProperty("partitionColumns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(expected.SizeInBytes, metadata.GetProperty("size").GetInt64());
        Assert.Equal(expected.Files.Count, metadata.GetProperty("numFiles").GetInt64());
        Assert.False(metadata.TryGetProperty("version", out _));
    }

    [Fact]
    public async Task CdfFlagIsTheOnlyConfigurationInParquetFormat()
    {
        var lines = await TestServer.LinesAsync(await Server.Http.GetAsync(Server.TableUrl("cdf") + "/metadata"));
        var configuration = lines[1].GetProperty("metaData").GetProperty("configuration");
        Assert.Equal("true", configuration.GetProperty("enableChangeDataFeed").GetString());
        Assert.Single(configuration.EnumerateObject());
    }

    [Fact]
    public async Task MetadataAtAVersionOrTimestampCarriesThatVersionAndItsTotals()
    {
        var location = TestPaths.Table("simple_table");
        for (var v = 0; v <= 4; v++)
        {
            var expected = await LogFiles.SnapshotAsync(location, v);
            foreach (var query in new[] { $"version={v}", "timestamp=" + Iso(SimpleTableTimes[v]) })
            {
                using var response = await Server.Http.GetAsync(Server.TableUrl("simple_table") + "/metadata?" + query);
                var lines = await TestServer.LinesAsync(response);
                Assert.Equal(v.ToString(), TestServer.Header(response, "Delta-Table-Version"));
                var metadata = lines[1].GetProperty("metaData");
                Assert.Equal(v, metadata.GetProperty("version").GetInt64());
                Assert.Equal(expected.SizeInBytes, metadata.GetProperty("size").GetInt64());
                Assert.Equal(expected.Files.Count, metadata.GetProperty("numFiles").GetInt64());
            }
        }
    }

    [Theory]
    [InlineData("version=1&timestamp=2020-04-27T06:23:16.254Z")]
    [InlineData("version=-1")]
    [InlineData("version=5")]
    [InlineData("version=x")]
    [InlineData("timestamp=2020-04-27T06:23:06.153Z")] // 1 ms before v0
    [InlineData("timestamp=yesterday")]
    public async Task BadMetadataParametersAre400(string query) =>
        await TestServer.AssertErrorAsync(await Server.Http.GetAsync(Server.TableUrl("simple_table") + "/metadata?" + query), 400, "INVALID_PARAMETER_VALUE");

    [Fact]
    public async Task MetadataTimeTravelWithoutHistoryIs400()
    {
        var url = Server.TableUrl("simple_table", schema: "nohistory") + "/metadata";
        await TestServer.AssertErrorAsync(await Server.Http.GetAsync(url + "?version=1"), 400, "INVALID_PARAMETER_VALUE");
        await TestServer.AssertErrorAsync(await Server.Http.GetAsync(url + "?timestamp=" + Iso(SimpleTableTimes[1])), 400, "INVALID_PARAMETER_VALUE");
        Assert.Equal(2, (await TestServer.LinesAsync(await Server.Http.GetAsync(url))).Count);
    }

    [Theory]
    [InlineData("dv_small")]
    [InlineData("column_mapping")]
    public async Task AdvancedTablesRefuseParquetFormat(string table)
    {
        await TestServer.AssertErrorAsync(await Server.Http.GetAsync(Server.TableUrl(table) + "/metadata"), 400, "UNSUPPORTED_OPERATION");
        var request = new HttpRequestMessage(HttpMethod.Get, Server.TableUrl(table) + "/metadata");
        request.Headers.Add("delta-sharing-capabilities", "responseformat=parquet");
        await TestServer.AssertErrorAsync(await Server.Http.SendAsync(request), 400, "UNSUPPORTED_OPERATION");
    }

    [Fact]
    public async Task ColumnMappingTableInDeltaFormatKeepsPhysicalNames()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Server.TableUrl("column_mapping") + "/metadata");
        request.Headers.Add("delta-sharing-capabilities", "ResponseFormat=Delta,Parquet;readerfeatures=columnmapping");
        using var response = await Server.Http.SendAsync(request);
        var lines = await TestServer.LinesAsync(response);
        var expected = await LogFiles.SnapshotAsync(TestPaths.Table("table_with_column_mapping"));

        Assert.Equal("responseformat=delta", TestServer.Header(response, "delta-sharing-capabilities"));
        Assert.Equal(2, lines[0].GetProperty("protocol").GetProperty("deltaProtocol").GetProperty("minReaderVersion").GetInt32());
        var metadata = lines[1].GetProperty("metaData");
        var delta = metadata.GetProperty("deltaMetadata");
        Assert.Contains("delta.columnMapping.physicalName", delta.GetProperty("schemaString").GetString());
        Assert.Equal("name", delta.GetProperty("configuration").GetProperty("delta.columnMapping.mode").GetString());
        Assert.Equal(expected.Metadata!.CreatedTime, delta.GetProperty("createdTime").GetInt64());
        Assert.Equal(expected.SizeInBytes, metadata.GetProperty("size").GetInt64());
        Assert.Equal(2, metadata.GetProperty("numFiles").GetInt64());
    }

    [Fact]
    public async Task UnknownResponseFormatIs400AndDeltaCanBeForcedOnASimpleTable()
    {
        var bad = new HttpRequestMessage(HttpMethod.Get, Server.TableUrl("simple_table") + "/metadata");
        bad.Headers.Add("delta-sharing-capabilities", "responseformat=csv");
        await TestServer.AssertErrorAsync(await Server.Http.SendAsync(bad), 400);

        var delta = new HttpRequestMessage(HttpMethod.Get, Server.TableUrl("simple_table") + "/metadata");
        delta.Headers.Add("delta-sharing-capabilities", "responseformat=delta;includeendstreamaction=true");
        using var response = await Server.Http.SendAsync(delta);
        var lines = await TestServer.LinesAsync(response);
        Assert.Equal("responseformat=delta;includeendstreamaction=true", TestServer.Header(response, "delta-sharing-capabilities"));
        Assert.True(lines[1].GetProperty("metaData").TryGetProperty("deltaMetadata", out _));
    }

    internal static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
}
