using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

public sealed class SnapshotQueryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task EveryVersionReturnsExactlyTheLiveFilesOfThatSnapshot()
    {
        var location = TestPaths.Table("simple_table");
        for (var v = 0; v <= 4; v++)
        {
            var expected = await LogFiles.SnapshotAsync(location, v);
            using var response = await Server.QueryAsync("simple_table", new { version = v });
            var lines = await TestServer.LinesAsync(response);
            Assert.Equal(v.ToString(), TestServer.Header(response, "Delta-Table-Version"));
            Assert.True(lines[0].TryGetProperty("protocol", out _));
            Assert.Equal(v, lines[1].GetProperty("metaData").GetProperty("version").GetInt64());
            var files = TestServer.Wrapped(lines, "file").ToList();
            Assert.Equal(lines.Count - 2, files.Count);

            var actual = files.Select(f => (Key(f.GetProperty("url").GetString()!, "simple_table"), f.GetProperty("size").GetInt64())).Order().ToList();
            var wanted = expected.Files.Values.Select(a => (Uri.UnescapeDataString(a.Path), a.Size)).Order().ToList();
            Assert.Equal(wanted, actual);
            foreach (var file in files)
            {
                Assert.Equal(v, file.GetProperty("version").GetInt64());
                Assert.Equal(expected.Timestamp, file.GetProperty("timestamp").GetInt64());
                Assert.Equal(JsonValueKind.Object, file.GetProperty("partitionValues").ValueKind);
            }
        }
    }

    [Fact]
    public async Task LatestSnapshotHasNoVersionFieldsAndAcceptsAnEmptyBody()
    {
        using var response = await Server.QueryRawAsync("simple_table", "");
        var lines = await TestServer.LinesAsync(response);
        Assert.Equal("4", TestServer.Header(response, "Delta-Table-Version"));
        Assert.False(lines[1].GetProperty("metaData").TryGetProperty("version", out _));
        var file = TestServer.Wrapped(lines, "file").First();
        Assert.False(file.TryGetProperty("version", out _));
        Assert.False(file.TryGetProperty("timestamp", out _));
        Assert.True(file.GetProperty("expirationTimestamp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.False(TestServer.Wrapped(lines, "endStreamAction").Any());
    }

    [Fact]
    public async Task TimestampQueryReadsTheVersionCommittedAtOrBeforeIt()
    {
        // Between commit 2 (…604143) and commit 3 (…614187).
        using var response = await Server.QueryAsync("simple_table", new { timestamp = VersionAndMetadataTests.Iso(1587968610000) });
        var lines = await TestServer.LinesAsync(response);
        Assert.Equal("2", TestServer.Header(response, "Delta-Table-Version"));
        var file = TestServer.Wrapped(lines, "file").First();
        Assert.Equal(2, file.GetProperty("version").GetInt64());
        Assert.Equal(1587968604143, file.GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public async Task FileIdsAreStableHashesOfTheLogPath()
    {
        var parquet = TestServer.Wrapped(await Server.QueryLinesAsync("partitioned", new { }), "file").ToList();
        var again = TestServer.Wrapped(await Server.QueryLinesAsync("partitioned", new { }), "file").ToList();
        var log = (await LogFiles.SnapshotAsync(TestPaths.Table("delta-0.8.0-partitioned"))).Files.Values.ToList();

        var md5 = log.Select(a => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(a.Path)))).Order();
        Assert.Equal(md5, parquet.Select(f => f.GetProperty("id").GetString()!).Order());
        Assert.Equal(parquet.Select(f => f.GetProperty("id").GetString()), again.Select(f => f.GetProperty("id").GetString()));

        using var response = await Server.QueryAsync("partitioned", new { }, fileIdHash: "DELTA");
        Assert.Equal("delta", TestServer.Header(response, "fileidhash"));
        var sha = log.Select(a => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(a.Path)))).Order();
        Assert.Equal(sha, TestServer.Wrapped(await TestServer.LinesAsync(response), "file").Select(f => f.GetProperty("id").GetString()!).Order());

        await TestServer.AssertErrorAsync(await Server.QueryAsync("partitioned", new { }, fileIdHash: "crc32"), 400, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task PartitionValuesAreStringObjectsAndSpecialPartitionFilesDownload()
    {
        var partitioned = TestServer.Wrapped(await Server.QueryLinesAsync("partitioned", new { }), "file").ToList();
        Assert.Contains(partitioned, f => f.GetProperty("partitionValues").GetProperty("month").GetString() == "12");

        var special = TestServer.Wrapped(await Server.QueryLinesAsync("special_partition", new { }), "file").ToList();
        Assert.Equal(2, special.Count);
        var slash = special.Single(f => f.GetProperty("partitionValues").GetProperty("x").GetString() == "A/A");
        var url = slash.GetProperty("url").GetString()!;
        Assert.Equal("x=A%2FA/part-00007-b350e235-2832-45df-9918-6cab4f7578f7.c000.snappy.parquet", Key(url, "special_partition"));
        using var anonymous = new HttpClient();
        var bytes = await anonymous.GetByteArrayAsync(url);
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(TestPaths.Table("delta-0.8.0-special-partition"), "x=A%2FA", "part-00007-b350e235-2832-45df-9918-6cab4f7578f7.c000.snappy.parquet"));
        Assert.Equal(onDisk, bytes);
        Assert.Equal(slash.GetProperty("size").GetInt64(), bytes.Length);
    }

    [Fact]
    public async Task MaxFilesPagesThroughEveryFileOnceWithIdenticalHeads()
    {
        var all = TestServer.Wrapped(await Server.QueryLinesAsync("simple_table", new { version = 1 }), "file")
            .Select(f => f.GetProperty("id").GetString()!).Order().ToList();
        Assert.True(all.Count > 5);

        var seen = new List<string>();
        string? token = null;
        string? firstHead = null;
        var pages = 0;
        do
        {
            using var response = await Server.QueryAsync("simple_table", new { version = 1, maxFiles = 3, pageToken = token });
            var lines = await TestServer.LinesAsync(response);
            Assert.Equal("1", TestServer.Header(response, "Delta-Table-Version"));
            var head = lines[0].GetRawText() + lines[1].GetRawText();
            Assert.Equal(firstHead ??= head, head);
            var files = TestServer.Wrapped(lines, "file").ToList();
            Assert.InRange(files.Count, 1, 3);
            seen.AddRange(files.Select(f => f.GetProperty("id").GetString()!));
            var end = lines[^1].GetProperty("endStreamAction");
            Assert.True(end.GetProperty("minUrlExpirationTimestamp").GetInt64() > 0);
            token = end.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
            pages++;
        } while (token is not null);

        Assert.Equal(all, seen.Order().ToList());
        Assert.Equal((all.Count + 2) / 3, pages);
    }

    [Fact]
    public async Task APageTokenOnlyContinuesTheQueryItCameFrom()
    {
        using var first = await Server.QueryAsync("simple_table", new { version = 1, maxFiles = 2 });
        var token = (await TestServer.LinesAsync(first))[^1].GetProperty("endStreamAction").GetProperty("nextPageToken").GetString();

        await TestServer.AssertErrorAsync(await Server.QueryAsync("simple_table", new { version = 2, maxFiles = 2, pageToken = token }), 400, "INVALID_PARAMETER_VALUE");
        await TestServer.AssertErrorAsync(await Server.QueryAsync("simple_table", new { version = 1, maxFiles = 2, pageToken = token, limitHint = 5 }), 400);
        await TestServer.AssertErrorAsync(await Server.QueryAsync("simple_table", new { version = 1, maxFiles = 2, pageToken = token }, capabilities: "responseformat=delta"), 400);
        await TestServer.AssertErrorAsync(await Server.QueryAsync("t2", new { version = 1, maxFiles = 2, pageToken = token }), 404);
        await TestServer.AssertErrorAsync(await Server.QueryAsync("delta_0_8_0", new { version = 1, maxFiles = 2, pageToken = token }), 400);
        await TestServer.AssertErrorAsync(await Server.QueryAsync("simple_table", new { version = 1, maxFiles = 2, pageToken = "not-a-token" }), 400);
        using var ok = await Server.QueryAsync("simple_table", new { version = 1, maxFiles = 5, pageToken = token });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task EndStreamActionWhenAskedForByCapability()
    {
        using var response = await Server.QueryAsync("simple_table", new { }, capabilities: "includeendstreamaction=true");
        var lines = await TestServer.LinesAsync(response);
        Assert.Equal("responseformat=parquet;includeendstreamaction=true", TestServer.Header(response, "delta-sharing-capabilities"));
        var end = lines[^1].GetProperty("endStreamAction");
        Assert.False(end.TryGetProperty("nextPageToken", out _));
        var min = TestServer.Wrapped(lines, "file").Min(f => f.GetProperty("expirationTimestamp").GetInt64());
        Assert.Equal(min, end.GetProperty("minUrlExpirationTimestamp").GetInt64());
    }

    [Theory]
    [InlineData("""{"version":1,"timestamp":"2020-04-27T06:23:16.254Z"}""")]
    [InlineData("""{"version":1,"startingVersion":1}""")]
    [InlineData("""{"timestamp":"2020-04-27T06:23:16.254Z","startingVersion":1}""")]
    [InlineData("""{"version":-1}""")]
    [InlineData("""{"version":5}""")]
    [InlineData("""{"timestamp":"2020-04-27"}""")]
    [InlineData("""{"timestamp":"2030-01-01T00:00:00Z"}""")]
    [InlineData("""{"maxFiles":0}""")]
    [InlineData("""{"version":1,"includeRefreshToken":true}""")]
    [InlineData("""{"startingVersion":1,"refreshToken":"x"}""")]
    [InlineData("""{"includeRefreshToken":true,"pageToken":"x"}""")]
    [InlineData("""{"endingVersion":2}""")]
    public async Task InvalidParameterCombinationsAre400(string body) =>
        await TestServer.AssertErrorAsync(await Server.QueryRawAsync("simple_table", body), 400, "INVALID_PARAMETER_VALUE");

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"version":"one"}""")]
    [InlineData("""{"includeRefreshToken":"yes"}""")]
    public async Task MalformedBodiesAre400MalformedRequest(string body) =>
        await TestServer.AssertErrorAsync(await Server.QueryRawAsync("simple_table", body), 400, "MALFORMED_REQUEST");

    [Theory]
    [InlineData("""{"version":1}""")]
    [InlineData("""{"timestamp":"2020-04-27T06:23:16.254Z"}""")]
    [InlineData("""{"startingVersion":1}""")]
    public async Task HistoryOffRefusesTimeTravelAndChanges(string body)
    {
        await TestServer.AssertErrorAsync(await Server.QueryRawAsync("simple_table", body, schema: "nohistory"), 400, "INVALID_PARAMETER_VALUE");
        using var latest = await Server.QueryRawAsync("simple_table", "{}", schema: "nohistory");
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
    }

    [Fact]
    public async Task HintsAndSnakeCaseFieldsAreAccepted()
    {
        var body = """{"predicateHints":["id > 3"],"jsonPredicateHints":"{}","limitHint":1,"max_files":1,"idempotency_key":"k"}""";
        using var response = await Server.QueryRawAsync("simple_table", body);
        var lines = await TestServer.LinesAsync(response);
        Assert.Single(TestServer.Wrapped(lines, "file"));
        Assert.True(lines[^1].GetProperty("endStreamAction").TryGetProperty("nextPageToken", out _));
    }

    /// <summary>The table-relative storage key a signed URL points at (each path segment decoded once).</summary>
    internal static string Key(string url, string table)
    {
        var marker = $"/files/share1/default/{table}/";
        var path = url.Split('?')[0];
        var start = path.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{url} is not a file URL of {table}");
        return string.Join('/', path[(start + marker.Length)..].Split('/').Select(Uri.UnescapeDataString));
    }
}
