using ReplicaSync.Sharing;
using static ReplicaSync.Tests.Sharing.ScriptedSharingServer;

namespace ReplicaSync.Tests.Sharing;

public sealed class SharingListTests
{
    [Theory]
    [InlineData("""{"items":[]""", ""","nextPageToken":"" """)]
    [InlineData("{", "")]
    [InlineData("""{"items":null""", ""","nextPageToken":null""")]
    public async Task ListShares_FollowsThreePages_WhateverFormTheEmptyPageAndLastTokenTake(string emptyItems, string lastToken)
    {
        await using var server = await StartAsync();
        server.Route("GET", "/shares", (request, _) => request.Query.GetValueOrDefault("pageToken") switch
        {
            null => Response.Json(200, """{"items":[{"name":"a","id":"id-a"},{"name":"b"}],"nextPageToken":"t1"}"""),
            "t1" => Response.Json(200, (emptyItems == "{" ? "{" : emptyItems + ",") + "\"nextPageToken\":\"t/2 +\"}"),
            "t/2 +" => Response.Json(200, """{"items":[{"name":"c"}]""" + lastToken + "}"),
            var other => Response.Json(400, $$"""{"errorCode":"INVALID_PARAMETER_VALUE","message":"bad token {{other}}"}"""),
        });
        using var client = server.Client(FastOptions with { PageSize = 2 });

        var shares = await client.ListSharesAsync().ToListAsync();

        Assert.Equal([new ShareInfo("a", "id-a"), new ShareInfo("b", null), new ShareInfo("c", null)], shares);
        var requests = server.RequestsTo("/shares");
        Assert.Equal(3, requests.Count);
        Assert.Equal([null, "t1", "t/2 +"], requests.Select(r => r.Query.GetValueOrDefault("pageToken")));
        Assert.All(requests, r => Assert.Equal("2", r.Query["maxResults"]));
    }

    [Fact]
    public async Task ListShares_WithoutPageSize_SendsNoMaxResults_AndAuthenticates()
    {
        await using var server = await StartAsync();
        server.Route("GET", "/shares", Response.Json(200, """{"items":[{"name":"a"}]}"""));
        using var client = server.Client(FastOptions with { UserAgent = "ReplicaSync-Test/9" });

        Assert.Single(await client.ListSharesAsync().ToListAsync());

        var request = Assert.Single(server.Requests);
        Assert.False(request.Query.ContainsKey("maxResults"));
        Assert.Equal($"Bearer {Token}", request.Header("Authorization"));
        Assert.Equal("ReplicaSync-Test/9", request.Header("User-Agent"));
    }

    [Fact]
    public async Task ListShares_SameTokenTwiceInARow_FailsInsteadOfLooping()
    {
        await using var server = await StartAsync();
        server.Route("GET", "/shares", Response.Json(200, """{"items":[{"name":"a"}],"nextPageToken":"again"}"""));
        using var client = server.Client();

        var e = await SharingTestData.AssertFailsAsync<SharingProtocolException>(() => client.ListSharesAsync().ToListAsync().AsTask());

        Assert.Contains("same nextPageToken", e.Message);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task ListSchemasAndTables_EscapeNames_AndMapItems()
    {
        await using var server = await StartAsync();
        server.Route("GET", "/shares/my share/schemas",
            Response.Json(200, """{"items":[{"name":"retail","share":"my share"},{"name":"hr"}]}"""));
        server.Route("GET", "/shares/my share/schemas/retail/tables",
            Response.Json(200, """{"items":[{"name":"orders","schema":"retail","share":"my share","id":"uuid-1","shareId":"x"},{"name":"items"}]}"""));
        server.Route("GET", "/shares/my share/all-tables",
            Response.Json(200, """{"items":[{"name":"orders","schema":"retail","share":"my share"},{"name":"staff","schema":"hr"}]}"""));
        using var client = server.Client();

        var schemas = await client.ListSchemasAsync("my share").ToListAsync();
        var tables = await client.ListTablesAsync("my share", "retail").ToListAsync();
        var all = await client.ListAllTablesAsync("my share").ToListAsync();

        Assert.Equal([new SchemaInfo("retail", "my share"), new SchemaInfo("hr", "my share")], schemas);
        Assert.Equal([new TableInfo("orders", "retail", "my share", "uuid-1"), new TableInfo("items", "retail", "my share", null)], tables);
        Assert.Equal([new TableInfo("orders", "retail", "my share", null), new TableInfo("staff", "hr", "my share", null)], all);
        Assert.Equal($"{Prefix}/shares/my%20share/schemas", server.Requests[0].RawTarget);
    }

    [Fact]
    public async Task ListAllTables_ItemWithoutSchema_IsAProtocolError()
    {
        await using var server = await StartAsync();
        server.Route("GET", "/shares/s/all-tables", Response.Json(200, """{"items":[{"name":"orders"}]}"""));
        using var client = server.Client();

        var e = await SharingTestData.AssertFailsAsync<SharingProtocolException>(() => client.ListAllTablesAsync("s").ToListAsync().AsTask());

        Assert.Contains("'schema'", e.Message);
    }

    [Theory]
    [InlineData("""{"items":{"name":"a"}}""", "'items'")]
    [InlineData("""[{"name":"a"}]""", "JSON object")]
    [InlineData("""{"items":[{"name":"a"}""", "not valid JSON")]
    public async Task ListShares_MalformedBody_IsAProtocolError(string body, string reason)
    {
        await using var server = await StartAsync();
        server.Route("GET", "/shares", Response.Json(200, body));
        using var client = server.Client();

        var e = await SharingTestData.AssertFailsAsync<SharingProtocolException>(() => client.ListSharesAsync().ToListAsync().AsTask());

        Assert.Contains(reason, e.Message);
    }
}
