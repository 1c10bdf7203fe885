using System.Text.Json;
using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>
/// The server keeps the state a request ended with and builds the next request's state from it (a catch-up reads the
/// change feed window by window): answers must be the same as from a fresh replay of the log, and a table written
/// again under the same versions must not be answered from the old one's state.
/// </summary>
public sealed class SnapshotCacheTests
{
    [Fact]
    public async Task WindowsReadOneAfterAnotherAnswerLikeTheWholeRangeAndAFreshReplay()
    {
        using var table = new TempTable();
        var live = new List<AddFile>();
        for (var v = 0; v < 12; v++)
        {
            var add = await table.DataFileAsync($"f{v}.parquet", size: 100 + v);
            var actions = new List<DeltaAction> { add };
            if (v == 0)
                actions.InsertRange(0, [TempTable.Protocol(), TempTable.Metadata()]);
            if (v % 4 == 3)
            {
                // A delete of an older file, whose remove line gets its size from the state before the window.
                actions.Add(TempTable.Remove(live[0]));
                live.RemoveAt(0);
            }
            if (v == 6)
                actions.Add(TempTable.Metadata(TempTable.SchemaV2));
            live.Add(add);
            await table.CommitAsync(v, 1000 + v, [.. actions]);
        }
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));
        var whole = (await server.QueryLinesAsync("t", new { startingVersion = 1 })).Skip(2).Select(Stable).ToList();

        var windows = new List<string>();
        for (var from = 1; from < 12; from += 4)
        {
            var to = Math.Min(11, from + 3);
            var lines = await server.QueryLinesAsync("t", new { startingVersion = from, endingVersion = to });
            var head = lines[1].GetProperty("metaData");
            var fresh = await LogFiles.SnapshotAsync(table.Location, from);
            Assert.Equal(fresh.Files.Count, head.GetProperty("numFiles").GetInt64());
            Assert.Equal(fresh.SizeInBytes, head.GetProperty("size").GetInt64());
            windows.AddRange(lines.Skip(2).Select(Stable));
            var atEnd = await MetadataAsync(server, to);
            var freshAtEnd = await LogFiles.SnapshotAsync(table.Location, to);
            Assert.Equal(freshAtEnd.Files.Count, atEnd.GetProperty("numFiles").GetInt64());
            Assert.Equal(freshAtEnd.SizeInBytes, atEnd.GetProperty("size").GetInt64());
        }
        Assert.Equal(whole, windows);
        Assert.Contains(whole, line => line.StartsWith("remove:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATableWrittenAgainUnderTheSameVersionsIsNotAnsweredFromTheOldState()
    {
        using var table = new TempTable();
        await table.CommitAsync(0, 1000, TempTable.Protocol(), TempTable.Metadata(), await table.DataFileAsync("a.parquet"));
        await table.CommitAsync(1, 2000, await table.DataFileAsync("b.parquet"));
        await table.CommitAsync(2, 3000, await table.DataFileAsync("c.parquet"));
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));
        Assert.Equal(3, (await MetadataAsync(server, 2)).GetProperty("numFiles").GetInt64());

        Directory.Delete(Path.Combine(table.Location, "_delta_log"), recursive: true);
        await table.CommitAsync(0, 1000, TempTable.Protocol(), TempTable.Metadata(), await table.DataFileAsync("x.parquet"));
        await table.CommitAsync(1, 2000, TempTable.Remove(new AddFile { Path = "x.parquet", Size = 100 }));
        await table.CommitAsync(2, 3000, await table.DataFileAsync("y.parquet", size: 7));
        await table.CommitAsync(3, 4000, await table.DataFileAsync("z.parquet", size: 9));

        var atThree = await MetadataAsync(server, 3);
        Assert.Equal(2, atThree.GetProperty("numFiles").GetInt64());
        Assert.Equal(16, atThree.GetProperty("size").GetInt64());
        var head = (await server.QueryLinesAsync("t", new { startingVersion = 3 }))[1].GetProperty("metaData");
        Assert.Equal(2, head.GetProperty("numFiles").GetInt64());
    }

    private static async Task<JsonElement> MetadataAsync(TestServer server, long version)
    {
        using var response = await server.GetAsync($"/shares/{TestServer.Share}/schemas/{TestServer.Schema}/tables/t/metadata?version={version}");
        return (await TestServer.LinesAsync(response))[1].GetProperty("metaData");
    }

    private static string Stable(JsonElement line)
    {
        var name = line.EnumerateObject().Single().Name;
        var body = line.GetProperty(name);
        return name == "metaData"
            ? $"{name}:{body.GetProperty("version").GetInt64()}:{body.GetProperty("numFiles").GetInt64()}"
            : $"{name}:{body.GetProperty("id").GetString()}:{body.GetProperty("version").GetInt64()}:{body.GetProperty("size").GetInt64()}";
    }
}
