using ReplicaSync.Sharing;
using static ReplicaSync.Tests.Sharing.ScriptedSharingServer;
using static ReplicaSync.Tests.Sharing.SharingTestData;

namespace ReplicaSync.Tests.Sharing;

/// <summary>Queries and change data calls follow <c>nextPageToken</c> across pages, lazily, and check each page against the first.</summary>
public sealed class SharingPagingTests
{
    private const string QueryPath = SharingQueryTests.QueryPath;
    private const string ChangesPath = "/shares/sales/schemas/retail/tables/orders/changes";

    private static string Add(string id) =>
        Signed("""{"file":{"id":"ID","expirationTimestamp":1700003600000,"deltaSingleAction":{"add":{"path":"URL(ID)","partitionValues":{"day":"2024-01-01"},"size":10,"modificationTime":1,"dataChange":true}}}}""".Replace("ID", id));

    private static Response Page(long version, string nextPageToken, params string[] files) =>
        Response.Ndjson(version, DeltaCaps, [DeltaProtocol, DeltaMetadata, .. files, EndStream(nextPageToken: nextPageToken)]);

    [Fact]
    public async Task A_query_follows_every_page_giving_the_head_once_and_asks_for_a_page_only_when_read_past_the_previous_one()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath,
            Response.Ndjson(5, DeltaCaps, DeltaProtocol, DeltaMetadata, Add("f1"), Add("f2"), EndStream(nextPageToken: "p2", refreshToken: "rt")),
            Page(5, "p3", Add("f3"), Add("f4")),
            Page(5, "", Add("f5")));
        using var client = server.Client();

        await using var result = await client.QueryAsync(Table, new QueryRequest { IncludeRefreshToken = true, MaxFiles = 2 });
        var lines = result.Lines.GetAsyncEnumerator();
        var seen = new List<SharingLine>();
        while (seen.Count < 5 && await lines.MoveNextAsync())
            seen.Add(lines.Current);
        // The first page is read to its endStreamAction; the second is not asked for yet.
        Assert.Single(server.RequestsTo(QueryPath));
        while (await lines.MoveNextAsync())
            seen.Add(lines.Current);
        await lines.DisposeAsync();

        Assert.IsType<ProtocolLine>(seen[0]);
        Assert.IsType<MetadataLine>(seen[1]);
        Assert.Equal(["f1", "f2", "f3", "f4", "f5"], seen.OfType<FileLine>().Select(f => f.Id));
        Assert.Equal(2, seen.Count(l => l is ProtocolLine or MetadataLine));
        Assert.Equal([new EndStreamLine("rt", "p2", 1700003600000), new EndStreamLine(null, "p3", 1700003600000), new EndStreamLine(null, null, 1700003600000)],
            seen.OfType<EndStreamLine>());
        // Later pages send the token and every other field unchanged, but not the refresh fields (servers refuse them with a token).
        Assert.Equal(["""{"maxFiles":2,"includeRefreshToken":true}""", """{"maxFiles":2,"pageToken":"p2"}""", """{"maxFiles":2,"pageToken":"p3"}"""],
            server.RequestsTo(QueryPath).Select(r => r.Body));
    }

    [Fact]
    public async Task A_later_page_of_another_table_version_is_a_protocol_error()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Page(5, "p2", Add("f1")), Page(6, "", Add("f2")));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => QueryAllAsync(client, new QueryRequest { MaxFiles = 1 }));
        Assert.Contains("page 2 is of table version 6 but the first page was of version 5", e.Message);
    }

    [Fact]
    public async Task A_server_that_hands_back_the_same_token_is_stopped()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Page(5, "again", Add("f1")));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => QueryAllAsync(client, new QueryRequest { MaxFiles = 1 }));
        Assert.Contains("same nextPageToken", e.Message);
        Assert.Equal(2, server.RequestsTo(QueryPath).Count);
    }

    [Fact]
    public async Task A_server_that_ignores_maxFiles_answers_in_one_response()
    {
        await using var server = await StartAsync();
        // A legacy server: no endStreamAction at all, every file in one response.
        server.Route("POST", QueryPath, Response.Ndjson(5, "responseformat=delta", DeltaProtocol, DeltaMetadata, Add("f1"), Add("f2"), Add("f3")));
        using var client = server.Client();

        var lines = await QueryAllAsync(client, new QueryRequest { MaxFiles = 1 });

        Assert.Equal(["f1", "f2", "f3"], lines.OfType<FileLine>().Select(f => f.Id));
        Assert.Single(server.RequestsTo(QueryPath));
    }

    [Fact]
    public async Task A_change_data_call_sends_maxFiles_and_the_page_token_as_url_parameters()
    {
        await using var server = await StartAsync();
        server.Route("GET", ChangesPath, Page(2, "next page", Add("c1")), Page(2, "", Add("c2")));
        using var client = server.Client();

        await using var result = await client.QueryChangesAsync(Table, new ChangesRequest(2, 4) { MaxFiles = 1 });
        var lines = await ReadAllAsync(result);

        Assert.Equal(["c1", "c2"], lines.OfType<FileLine>().Select(f => f.Id));
        var requests = server.RequestsTo(ChangesPath);
        Assert.Equal("1", requests[0].Query["maxFiles"]);
        Assert.False(requests[0].Query.ContainsKey("pageToken"));
        Assert.Equal(("2", "4", "1", "next page"),
            (requests[1].Query["startingVersion"], requests[1].Query["endingVersion"], requests[1].Query["maxFiles"], requests[1].Query["pageToken"]));
    }
}
