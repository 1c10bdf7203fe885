using System.Net;
using System.Text.Json;
using ReplicaSync.Delta;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

public sealed class ChangesQueryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    [Theory]
    [InlineData(0, null)]
    [InlineData(2, 3L)]
    [InlineData(4, null)]
    public async Task ReturnsTheDataChangeActionsOfEachCommitAsInTheLogFiles(long start, long? end)
    {
        var location = TestPaths.Table("simple_table");
        var last = end ?? 4;
        var expected = new List<(long, string, string, long)>();
        var addSizes = new Dictionary<string, long>();
        for (var v = 0L; v <= last; v++)
        {
            var commit = LogFiles.Commit(location, v);
            var ts = commit.Single(l => l.TryGetProperty("commitInfo", out _)).GetProperty("commitInfo").GetProperty("timestamp").GetInt64();
            foreach (var line in commit)
            {
                foreach (var kind in new[] { "add", "remove" })
                {
                    if (!line.TryGetProperty(kind, out var action))
                        continue;
                    var path = action.GetProperty("path").GetString()!;
                    if (kind == "add")
                        addSizes[path] = action.GetProperty("size").GetInt64();
                    if (v >= start && action.GetProperty("dataChange").GetBoolean())
                        expected.Add((v, kind, path, ts));
                }
            }
        }

        using var response = await Server.QueryAsync("simple_table", end is null ? new { startingVersion = start } : new { startingVersion = start, endingVersion = end });
        var lines = await TestServer.LinesAsync(response);
        Assert.Equal(start.ToString(), TestServer.Header(response, "Delta-Table-Version"));
        Assert.Equal(1, lines[0].GetProperty("protocol").GetProperty("minReaderVersion").GetInt32());
        var head = lines[1].GetProperty("metaData");
        var atStart = await LogFiles.SnapshotAsync(location, start);
        Assert.Equal(start, head.GetProperty("version").GetInt64());
        Assert.Equal(atStart.Files.Count, head.GetProperty("numFiles").GetInt64());
        Assert.Equal(atStart.SizeInBytes, head.GetProperty("size").GetInt64());

        var actual = new List<(long, string, string, long)>();
        foreach (var line in lines.Skip(2))
        {
            var kind = line.EnumerateObject().Single().Name;
            Assert.Contains(kind, new[] { "add", "remove" });
            var action = line.GetProperty(kind);
            var key = SnapshotQueryTests.Key(action.GetProperty("url").GetString()!, "simple_table");
            actual.Add((action.GetProperty("version").GetInt64(), kind, key, action.GetProperty("timestamp").GetInt64()));
            // Old removes carry no size; the server fills it from the add they cancel.
            Assert.Equal(addSizes[key], action.GetProperty("size").GetInt64());
        }
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("""{"startingVersion":5}""")]
    [InlineData("""{"startingVersion":1,"endingVersion":5}""")]
    [InlineData("""{"startingVersion":3,"endingVersion":2}""")]
    [InlineData("""{"startingVersion":-1}""")]
    [InlineData("""{"startingVersion":0,"endingVersion":-2}""")]
    public async Task RangeErrorsAre400(string body) =>
        await TestServer.AssertErrorAsync(await Server.QueryRawAsync("simple_table", body), 400, "INVALID_PARAMETER_VALUE");

    [Fact]
    public async Task PagesConcatenateToTheUnpagedResponse()
    {
        var whole = (await Server.QueryLinesAsync("simple_table", new { startingVersion = 0 })).Skip(2).Select(Stable).ToList();
        var paged = new List<string>();
        string? token = null;
        do
        {
            using var response = await Server.QueryAsync("simple_table", new { startingVersion = 0, maxFiles = 7, pageToken = token });
            var lines = await TestServer.LinesAsync(response);
            Assert.Equal("0", TestServer.Header(response, "Delta-Table-Version"));
            Assert.Equal(0, lines[1].GetProperty("metaData").GetProperty("version").GetInt64());
            var body = lines.Skip(2).SkipLast(1).ToList();
            Assert.InRange(body.Count, 1, 7);
            paged.AddRange(body.Select(Stable));
            token = lines[^1].GetProperty("endStreamAction").TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
        } while (token is not null);
        Assert.Equal(whole, paged);
    }

    [Fact]
    public async Task MetadataChangesAppearAtTheirVersionAndRewritesAreOmitted()
    {
        using var table = await BuildSchemaChangeTableAsync();
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));

        var lines = await server.QueryLinesAsync("t", new { startingVersion = 0 });
        Assert.Equal(["protocol", "metaData", "add", "add", "metaData", "add"], lines.Select(Name));
        Assert.Equal(["a.parquet", "b.parquet", "c.parquet"], TestServer.Wrapped(lines, "add").Select(a => SnapshotQueryTests.Key(a.GetProperty("url").GetString()!, "t")));
        Assert.Equal([0L, 1L, 2L], TestServer.Wrapped(lines, "add").Select(a => a.GetProperty("version").GetInt64()));
        Assert.Equal([1000L, 2000L, 3000L], TestServer.Wrapped(lines, "add").Select(a => a.GetProperty("timestamp").GetInt64()));
        var change = lines[4].GetProperty("metaData");
        Assert.Equal(2, change.GetProperty("version").GetInt64());
        Assert.Equal(3, change.GetProperty("numFiles").GetInt64());
        Assert.Equal(300, change.GetProperty("size").GetInt64());
        Assert.Contains("added in v2", change.GetProperty("schemaString").GetString());

        // From v3 on there is nothing to see: OPTIMIZE-like rewrites are dataChange=false.
        var fromThree = await server.QueryLinesAsync("t", new { startingVersion = 3 });
        Assert.Equal(["protocol", "metaData"], fromThree.Select(Name));
        Assert.Equal(1, fromThree[1].GetProperty("metaData").GetProperty("numFiles").GetInt64());
    }

    [Fact]
    public async Task DeltaFormatWrapsChangesAndCanIncludeHistoricalProtocols()
    {
        using var table = await BuildSchemaChangeTableAsync();
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));

        var plain = await server.QueryLinesAsync("t", new { startingVersion = 0 }, capabilities: "responseformat=delta");
        Assert.Equal(["protocol", "metaData", "file", "file", "metaData", "file"], plain.Select(Name));
        Assert.False(plain[0].GetProperty("protocol").TryGetProperty("version", out _));
        var file = plain[5].GetProperty("file");
        Assert.Equal(2, file.GetProperty("version").GetInt64());
        Assert.Equal(3000, file.GetProperty("timestamp").GetInt64());
        var add = file.GetProperty("deltaSingleAction").GetProperty("add");
        Assert.StartsWith(server.Base + "/files/", add.GetProperty("path").GetString());
        Assert.True(add.GetProperty("dataChange").GetBoolean());
        Assert.Equal(2, plain[4].GetProperty("metaData").GetProperty("version").GetInt64());

        var historical = await server.QueryLinesAsync("t", new { startingVersion = 0, includeHistoricalProtocol = true }, capabilities: "responseformat=delta");
        Assert.Equal(["protocol", "metaData", "file", "file", "protocol", "metaData", "file"], historical.Select(Name));
        Assert.Equal(0, historical[0].GetProperty("protocol").GetProperty("version").GetInt64());
        var changed = historical[4].GetProperty("protocol");
        Assert.Equal(2, changed.GetProperty("version").GetInt64());
        Assert.Equal(3, changed.GetProperty("deltaProtocol").GetProperty("minWriterVersion").GetInt32());
    }

    [Fact]
    public async Task PagingNeverRepeatsAVersionsMetadataLine()
    {
        using var table = await BuildSchemaChangeTableAsync();
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));
        var names = new List<string>();
        string? token = null;
        do
        {
            var lines = await server.QueryLinesAsync("t", new { startingVersion = 0, maxFiles = 1, pageToken = token });
            names.AddRange(lines.Skip(2).SkipLast(1).Select(Name));
            token = lines[^1].GetProperty("endStreamAction").TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
        } while (token is not null);
        Assert.Equal(["add", "add", "metaData", "add"], names);
    }

    [Fact]
    public async Task ATableGainingDeletionVectorsMidRangeFailsTheParquetStreamVisibly()
    {
        using var table = new TempTable();
        await table.CommitAsync(0, 1000, TempTable.Protocol(), TempTable.Metadata(), await table.DataFileAsync("a.parquet"));
        var withDv = TempTable.Metadata();
        withDv.Configuration["delta.enableDeletionVectors"] = "true";
        await table.CommitAsync(1, 2000, new Protocol { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = ["deletionVectors"], WriterFeatures = ["deletionVectors"] }, withDv);
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));

        var lines = await server.QueryLinesAsync("t", new { startingVersion = 0 }, capabilities: "includeendstreamaction=true");
        var end = lines[^1].GetProperty("endStreamAction");
        Assert.StartsWith("Unsupported Delta Table Properties at version 1", end.GetProperty("errorMessage").GetString());
        Assert.Equal(400, end.GetProperty("httpStatusErrorCode").GetInt32());

        // Without endStreamAction the client must see a broken transfer, never a short but "successful" answer.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var legacy = await server.QueryAsync("t", new { startingVersion = 0 });
            await legacy.Content.ReadAsStringAsync();
        });

        var delta = await server.QueryLinesAsync("t", new { startingVersion = 0 }, capabilities: "responseformat=delta");
        Assert.Equal(["protocol", "metaData", "file", "metaData"], delta.Select(Name));
    }

    /// <summary>v0 create + a, v1 add b, v2 schema and writer-protocol change + add c, v3 OPTIMIZE a,b,c → d.</summary>
    private static async Task<TempTable> BuildSchemaChangeTableAsync()
    {
        var table = new TempTable();
        var a = await table.DataFileAsync("a.parquet");
        var b = await table.DataFileAsync("b.parquet");
        var c = await table.DataFileAsync("c.parquet");
        var d = await table.DataFileAsync("d.parquet", size: 250, dataChange: false);
        await table.CommitAsync(0, 1000, TempTable.Protocol(), TempTable.Metadata(), a);
        await table.CommitAsync(1, 2000, b);
        await table.CommitAsync(2, 3000, new Protocol { MinReaderVersion = 1, MinWriterVersion = 3 }, TempTable.Metadata(TempTable.SchemaV2), c);
        await table.CommitAsync(3, 4000, TempTable.Remove(a, dataChange: false), TempTable.Remove(b, dataChange: false), TempTable.Remove(c, dataChange: false), d);
        return table;
    }

    private static string Name(JsonElement line) => line.EnumerateObject().Single().Name;

    // URLs differ between requests only in their expiry and signature.
    private static string Stable(JsonElement line)
    {
        var name = Name(line);
        var body = line.GetProperty(name);
        return $"{name}:{body.GetProperty("id").GetString()}:{body.GetProperty("version").GetInt64()}";
    }
}
