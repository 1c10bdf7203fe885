using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ReplicaSync.SharingServer.Tests;

public sealed class ListTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    [Theory]
    [InlineData("/shares", 2)]
    [InlineData("/shares/share1/schemas", 2)]
    [InlineData("/shares/share1/schemas/default/tables", 9)]
    [InlineData("/shares/share1/all-tables", 10)]
    public async Task MaxResultsOneWalksEveryItemExactlyOnce(string path, int expected)
    {
        var all = await NamesAsync(path);
        Assert.Equal(expected, all.Count);

        var walked = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = path + "?maxResults=1" + (token is null ? "" : "&pageToken=" + Uri.EscapeDataString(token));
            using var response = await Server.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await TestServer.JsonAsync(response);
            var items = body.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= 1);
            walked.AddRange(items.Select(Key));
            token = body.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
            pages++;
        } while (token is not null);

        Assert.Equal(all, walked);
        Assert.Equal(expected, pages);
    }

    [Fact]
    public async Task ListResponsesAreJsonWithUtf8AndNoTokenOnTheLastPage()
    {
        using var response = await Server.GetAsync("/shares");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = await TestServer.JsonAsync(response);
        Assert.False(body.TryGetProperty("nextPageToken", out _));
        var share = body.GetProperty("items")[0];
        Assert.Equal("share1", share.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(share.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task TableItemsNameSchemaShareAndStableIds()
    {
        var first = await TestServer.JsonAsync(await Server.GetAsync("/shares/share1/schemas/default/tables"));
        var second = await TestServer.JsonAsync(await Server.GetAsync("/shares/share1/schemas/default/tables"));
        var table = first.GetProperty("items")[0];
        Assert.Equal("simple_table", table.GetProperty("name").GetString());
        Assert.Equal("default", table.GetProperty("schema").GetString());
        Assert.Equal("share1", table.GetProperty("share").GetString());
        Assert.True(Guid.TryParse(table.GetProperty("id").GetString(), out _));
        Assert.Equal(table.GetProperty("id").GetString(), second.GetProperty("items")[0].GetProperty("id").GetString());
        var shares = await TestServer.JsonAsync(await Server.GetAsync("/shares"));
        Assert.Equal(shares.GetProperty("items")[0].GetProperty("id").GetString(), table.GetProperty("shareId").GetString());
    }

    [Fact]
    public async Task PageTokensAreBoundToTheirList()
    {
        var schemasToken = await FirstTokenAsync("/shares/share1/schemas");
        var tablesToken = await FirstTokenAsync("/shares/share1/schemas/default/tables");

        await TestServer.AssertErrorAsync(await Server.GetAsync("/shares?maxResults=1&pageToken=" + Uri.EscapeDataString(schemasToken)), 400, "INVALID_PARAMETER_VALUE");
        await TestServer.AssertErrorAsync(await Server.GetAsync("/shares/share1/all-tables?maxResults=1&pageToken=" + Uri.EscapeDataString(tablesToken)), 400);
        await TestServer.AssertErrorAsync(await Server.GetAsync("/shares/share2/schemas?maxResults=1&pageToken=" + Uri.EscapeDataString(schemasToken)), 400);
        await TestServer.AssertErrorAsync(await Server.GetAsync("/shares?pageToken=garbage"), 400);
        var tampered = schemasToken[..^2] + (schemasToken[^2] == 'A' ? "B" : "A") + schemasToken[^1];
        await TestServer.AssertErrorAsync(await Server.GetAsync("/shares/share1/schemas?pageToken=" + Uri.EscapeDataString(tampered)), 400);
    }

    [Fact]
    public async Task MaxResultsZeroReturnsNoItemsButAToken()
    {
        var body = await TestServer.JsonAsync(await Server.GetAsync("/shares?maxResults=0"));
        Assert.Empty(body.GetProperty("items").EnumerateArray());
        var token = body.GetProperty("nextPageToken").GetString()!;
        var next = await TestServer.JsonAsync(await Server.GetAsync("/shares?pageToken=" + Uri.EscapeDataString(token)));
        Assert.Equal(2, next.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("501")]
    [InlineData("abc")]
    public async Task MaxResultsOutsideTheRangeIs400(string value) =>
        await TestServer.AssertErrorAsync(await Server.GetAsync("/shares?maxResults=" + value), 400, "INVALID_PARAMETER_VALUE");

    [Fact]
    public async Task NamesAreCaseInsensitive()
    {
        var body = await TestServer.JsonAsync(await Server.GetAsync("/shares/SHARE1/schemas/Default/tables"));
        Assert.Equal(9, body.GetProperty("items").GetArrayLength());
        var share = await TestServer.JsonAsync(await Server.GetAsync("/shares/Share2"));
        Assert.Equal("share2", share.GetProperty("share").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/shares/nope")]
    [InlineData("/shares/nope/schemas")]
    [InlineData("/shares/share1/schemas/nope/tables")]
    [InlineData("/shares/nope/all-tables")]
    [InlineData("/shares/share1/schemas/default/tables/nope/version")]
    [InlineData("/shares/share1/schemas/default/tables/nope/metadata")]
    [InlineData("/no/such/endpoint")]
    public async Task UnknownResourcesAre404(string path) =>
        await TestServer.AssertErrorAsync(await Server.GetAsync(path), 404, "RESOURCE_DOES_NOT_EXIST");

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic dGVzdC10b2tlbi0xOg==")]
    [InlineData("Bearer test-token-1x")]
    public async Task MissingOrWrongTokenIs401(string? authorization)
    {
        using var client = new HttpClient();
        foreach (var path in new[] { "/shares", "/shares/share1/schemas/default/tables/simple_table/version", "/no/such/endpoint" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Server.Base + path);
            if (authorization is not null)
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await client.SendAsync(request);
            await TestServer.AssertErrorAsync(response, 401, "UNAUTHENTICATED");
        }
    }

    [Fact]
    public async Task EveryConfiguredTokenIsAccepted()
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test-token-2");
        using var response = await client.GetAsync(Server.Base + "/shares");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<List<string>> NamesAsync(string path)
    {
        var body = await TestServer.JsonAsync(await Server.GetAsync(path));
        Assert.False(body.TryGetProperty("nextPageToken", out _));
        return body.GetProperty("items").EnumerateArray().Select(Key).ToList();
    }

    private async Task<string> FirstTokenAsync(string path)
    {
        var body = await TestServer.JsonAsync(await Server.GetAsync(path + "?maxResults=1"));
        return body.GetProperty("nextPageToken").GetString()!;
    }

    private static string Key(JsonElement item) =>
        string.Join(".", new[] { "share", "schema", "name" }.Select(p => item.TryGetProperty(p, out var v) ? v.GetString() : ""));
}
