using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer.Tests;

public sealed class RefreshTokenTests
{
    [Fact]
    public async Task ARefreshTokenPinsTheVersionSoNewCommitsDoNotChangeTheFiles()
    {
        using var table = new TempTable();
        var a = await table.DataFileAsync("a.parquet");
        await table.CommitAsync(0, 1000, TempTable.Protocol(), TempTable.Metadata(), a, await table.DataFileAsync("b.parquet"));
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));

        var first = await server.QueryLinesAsync("t", new { includeRefreshToken = true });
        var ids = Ids(first);
        var token = first[^1].GetProperty("endStreamAction").GetProperty("refreshToken").GetString()!;
        Assert.Equal(2, ids.Count);

        await table.CommitAsync(1, 2000, TempTable.Remove(a), await table.DataFileAsync("c.parquet"));

        using var refreshed = await server.QueryAsync("t", new { includeRefreshToken = true, refreshToken = token });
        var lines = await TestServer.LinesAsync(refreshed);
        Assert.Equal("0", TestServer.Header(refreshed, "Delta-Table-Version"));
        Assert.Equal(ids, Ids(lines));
        Assert.False(string.IsNullOrEmpty(lines[^1].GetProperty("endStreamAction").GetProperty("refreshToken").GetString()));

        var latest = await server.QueryLinesAsync("t", new { });
        Assert.NotEqual(ids, Ids(latest));
        Assert.Equal(2, Ids(latest).Count);
    }

    [Fact]
    public async Task RefreshTokensAreRefusedWhenForeignForgedOrCombinedWithVersions()
    {
        using var one = new TempTable();
        await one.CommitAsync(0, 1000, TempTable.Protocol(), TempTable.Metadata(), await one.DataFileAsync("a.parquet"));
        var config = TestServer.SingleTable(one.Location);
        config.Shares[0].Schemas[0].Tables.Add(new TableConfig { Name = "other", Location = one.Location });
        await using var server = await TestServer.StartAsync(config);

        var lines = await server.QueryLinesAsync("t", new { includeRefreshToken = true });
        var token = lines[^1].GetProperty("endStreamAction").GetProperty("refreshToken").GetString()!;

        await TestServer.AssertErrorAsync(await server.QueryAsync("other", new { refreshToken = token }), 400, "INVALID_PARAMETER_VALUE");
        await TestServer.AssertErrorAsync(await server.QueryAsync("t", new { refreshToken = token[..^3] + "abc" }), 400, "INVALID_PARAMETER_VALUE");
        await TestServer.AssertErrorAsync(await server.QueryAsync("t", new { refreshToken = token, version = 0 }), 400, "INVALID_PARAMETER_VALUE");
        await TestServer.AssertErrorAsync(await server.QueryAsync("t", new { refreshToken = token, pageToken = "x" }), 400, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task APageTokenPinsTheVersionOfTheFirstPage()
    {
        using var table = new TempTable();
        var adds = new List<DeltaAction> { TempTable.Protocol(), TempTable.Metadata() };
        for (var i = 0; i < 4; i++)
            adds.Add(await table.DataFileAsync($"f{i}.parquet"));
        await table.CommitAsync(0, 1000, [.. adds]);
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));

        var page1 = await server.QueryLinesAsync("t", new { maxFiles = 2 });
        var token = page1[^1].GetProperty("endStreamAction").GetProperty("nextPageToken").GetString();
        await table.CommitAsync(1, 2000, await table.DataFileAsync("late.parquet"));

        using var page2 = await server.QueryAsync("t", new { maxFiles = 2, pageToken = token });
        var lines = await TestServer.LinesAsync(page2);
        Assert.Equal("0", TestServer.Header(page2, "Delta-Table-Version"));
        Assert.Equal(4, Ids(page1).Count + Ids(lines).Count);
        Assert.False(lines[^1].GetProperty("endStreamAction").TryGetProperty("nextPageToken", out _));
    }

    private static List<string> Ids(List<System.Text.Json.JsonElement> lines) =>
        TestServer.Wrapped(lines, "file").Select(f => f.GetProperty("id").GetString()!).Order().ToList();
}
