using System.Text.Json;

namespace ReplicaSync.SharingServer.Tests;

/// <summary><c>GET …/changes</c> with <c>maxFiles</c>: pages that repeat the head, concatenate to the whole feed, and a token bound to its query.</summary>
public sealed class ChangeDataPagingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Range = "startingVersion=0&endingVersion=3&includeHistoricalMetadata=true";

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Pages_repeat_the_head_and_concatenate_to_the_unpaged_feed()
    {
        var wholeLines = await TestServer.LinesAsync(await ChangesAsync(Range));
        var whole = wholeLines.Skip(2).Select(Stable).ToList();
        var paged = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            using var response = await ChangesAsync(Range + "&maxFiles=4" + (token is null ? "" : "&pageToken=" + Uri.EscapeDataString(token)));
            var lines = await TestServer.LinesAsync(response);
            Assert.Equal("0", TestServer.Header(response, "Delta-Table-Version"));
            Assert.Equal(wholeLines[0].GetRawText(), lines[0].GetRawText());
            Assert.Equal(wholeLines[1].GetRawText(), lines[1].GetRawText());
            var body = lines.Skip(2).SkipLast(1).ToList();
            Assert.InRange(body.Count(l => l.TryGetProperty("file", out _)), 1, 4);
            paged.AddRange(body.Select(Stable));
            var end = lines[^1].GetProperty("endStreamAction");
            token = end.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null);
        // 10 adds, 6 + 6 + 1 change data files: 23 file lines in pages of 4.
        Assert.Equal(6, pages);
        Assert.Equal(whole, paged);
    }

    [Fact]
    public async Task A_page_token_only_continues_the_call_it_came_from()
    {
        var first = await TestServer.LinesAsync(await ChangesAsync(Range + "&maxFiles=4"));
        var token = first[^1].GetProperty("endStreamAction").GetProperty("nextPageToken").GetString()!;
        var escaped = Uri.EscapeDataString(token);

        // Another range, another flag, another format: 400.
        await TestServer.AssertErrorAsync(await ChangesAsync("startingVersion=1&endingVersion=3&includeHistoricalMetadata=true&maxFiles=4&pageToken=" + escaped), 400);
        await TestServer.AssertErrorAsync(await ChangesAsync("startingVersion=0&endingVersion=3&maxFiles=4&pageToken=" + escaped), 400);
        await TestServer.AssertErrorAsync(await ChangesAsync(Range + "&maxFiles=4&pageToken=" + escaped, "responseformat=parquet"), 400);
        // A query token does not continue a change data call.
        var query = await Server.QueryLinesAsync("cdf", new { startingVersion = 0, maxFiles = 2 }, "responseformat=delta");
        var queryToken = query[^1].GetProperty("endStreamAction").GetProperty("nextPageToken").GetString()!;
        await TestServer.AssertErrorAsync(await ChangesAsync(Range + "&maxFiles=4&pageToken=" + Uri.EscapeDataString(queryToken)), 400);

        // A forged or tampered token is refused, naming the field.
        var tampered = (token[0] == 'A' ? "B" : "A") + token[1..];
        foreach (var bad in new[] { "not-a-token", tampered })
        {
            using var response = await ChangesAsync(Range + "&maxFiles=4&pageToken=" + Uri.EscapeDataString(bad));
            var text = await response.Content.ReadAsStringAsync();
            await TestServer.AssertErrorAsync(response, 400, "INVALID_PARAMETER_VALUE");
            Assert.Contains("pageToken", text);
        }

        // The page size may change between pages: only the other parameters are bound.
        var second = await TestServer.LinesAsync(await ChangesAsync(Range + "&maxFiles=100&pageToken=" + escaped));
        Assert.False(second[^1].GetProperty("endStreamAction").TryGetProperty("nextPageToken", out _));
        Assert.Equal(23 - 4, TestServer.Wrapped(second, "file").Count());
    }

    private Task<HttpResponseMessage> ChangesAsync(string query, string capabilities = "responseformat=delta")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Server.TableUrl("cdf") + "/changes?" + query);
        request.Headers.Add("delta-sharing-capabilities", capabilities);
        return Server.Http.SendAsync(request);
    }

    // URLs are signed per response; the id, version and action tell lines apart.
    private static string Stable(JsonElement line)
    {
        var name = line.EnumerateObject().Single().Name;
        if (name != "file")
            return name + ":" + line.GetProperty(name).GetProperty("version").GetInt64();
        var file = line.GetProperty("file");
        return $"file:{file.GetProperty("id").GetString()}:{file.GetProperty("version").GetInt64()}:{file.GetProperty("deltaSingleAction").EnumerateObject().Single().Name}";
    }
}
