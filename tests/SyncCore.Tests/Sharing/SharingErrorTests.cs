using System.Net.Sockets;
using ReplicaSync.Sharing;
using static ReplicaSync.Tests.Sharing.ScriptedSharingServer;
using static ReplicaSync.Tests.Sharing.SharingTestData;

namespace ReplicaSync.Tests.Sharing;

public sealed class SharingErrorTests
{
    private const string VersionPath = "/shares/sales/schemas/retail/tables/orders/version";

    private static Response Ok => Response.Empty(200).With("Delta-Table-Version", "9");

    [Fact]
    public async Task ProtocolErrorBody_BecomesHttpException_AndIsNotRetried()
    {
        await using var server = await StartAsync();
        server.Route("GET", VersionPath, Response.Json(404, """{"errorCode":"RESOURCE_DOES_NOT_EXIST","message":"Table not found: orders"}"""));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingHttpException>(() => client.GetTableVersionAsync(Table));

        Assert.Equal((404, "RESOURCE_DOES_NOT_EXIST", "Table not found: orders"), (e.StatusCode, e.ErrorCode, e.ServerMessage));
        Assert.Contains("HTTP 404 RESOURCE_DOES_NOT_EXIST: Table not found: orders", e.Message);
        Assert.Contains("GET http://127.0.0.1:", e.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task DatabricksErrorBody_WithDetails_BecomesHttpException()
    {
        await using var server = await StartAsync();
        server.Route("POST", SharingQueryTests.QueryPath, Response.Json(400,
            """{"error_code":"BAD_REQUEST","message":"Table features not supported","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"X","metadata":{"dsError":"DS_UNSUPPORTED_DELTA_TABLE_FEATURES"}}]}"""));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingHttpException>(() => client.QueryAsync(Table, new QueryRequest()));

        Assert.Equal((400, "BAD_REQUEST"), (e.StatusCode, e.ErrorCode));
        Assert.Contains("Table features not supported", e.Message);
        Assert.Contains("DS_UNSUPPORTED_DELTA_TABLE_FEATURES", e.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task NonJsonErrorBody_IsQuotedTruncated_WithQueriesRedacted()
    {
        var page = $"<html>denied for {Url("x")} " + new string('x', 2000) + "</html>";
        await using var server = await StartAsync();
        server.Route("GET", VersionPath, Response.Text(403, page, "text/html"));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingHttpException>(() => client.GetTableVersionAsync(Table));

        Assert.Equal(403, e.StatusCode);
        Assert.Null(e.ErrorCode);
        Assert.Contains("HTTP 403: <html>denied for https://bucket.s3.amazonaws.com/t/x.parquet", e.Message);
        Assert.InRange(e.Message.Length, 500, 800);
    }

    [Fact]
    public async Task ServerEchoingTheToken_HasItScrubbed()
    {
        await using var server = await StartAsync();
        server.Route("GET", VersionPath, Response.Json(403, $$"""{"errorCode":"PERMISSION_DENIED","message":"token {{Token}} may not read this"}"""));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingHttpException>(() => client.GetTableVersionAsync(Table));

        Assert.Contains("token [token] may not read this", e.Message);
    }

    [Fact]
    public async Task Unauthorized_IsNotRetried_AndHintsAtAnExpiredToken()
    {
        await using var server = await StartAsync();
        server.Route("GET", VersionPath, Response.Json(401, """{"errorCode":"UNAUTHENTICATED","message":"bad token"}"""));
        using var expiredClient = new SharingClient(server.Profile(DateTimeOffset.UtcNow.AddHours(-1)), null, FastOptions);
        using var validClient = new SharingClient(server.Profile(DateTimeOffset.UtcNow.AddHours(1)), null, FastOptions);

        var expired = await AssertFailsAsync<SharingHttpException>(() => expiredClient.GetTableVersionAsync(Table));
        Assert.Single(server.Requests);
        var valid = await AssertFailsAsync<SharingHttpException>(() => validClient.GetTableVersionAsync(Table));
        Assert.Equal(2, server.Requests.Count);

        Assert.Equal((401, "UNAUTHENTICATED"), (expired.StatusCode, expired.ErrorCode));
        Assert.Contains("expired token", expired.Message);
        Assert.DoesNotContain("expired", valid.Message);
    }

    [Fact]
    public async Task ServerError_ThenSuccess_Succeeds()
    {
        await using var server = await StartAsync();
        server.Route("GET", VersionPath, Response.Json(500, """{"errorCode":"INTERNAL_ERROR","message":""}"""), Ok);
        using var client = server.Client();

        Assert.Equal(9, await client.GetTableVersionAsync(Table));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task PersistentServerError_GivesUpAfterMaxRetries()
    {
        await using var server = await StartAsync();
        server.Route("GET", VersionPath, Response.Text(503, "unavailable"));
        using var client = server.Client(FastOptions with { MaxRetries = 2 });

        var e = await AssertFailsAsync<SharingHttpException>(() => client.GetTableVersionAsync(Table));

        Assert.Equal(503, e.StatusCode);
        Assert.Contains("after 3 attempts", e.Message);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task MaxRetriesZero_DisablesRetrying()
    {
        await using var server = await StartAsync();
        server.Route("GET", VersionPath, Response.Text(500, "boom"), Ok);
        using var client = server.Client(FastOptions with { MaxRetries = 0 });

        await AssertFailsAsync<SharingHttpException>(() => client.GetTableVersionAsync(Table));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task TooManyRequests_HonoursRetryAfter_CappedAtMaxDelay()
    {
        await using var server = await StartAsync();
        server.Route("GET", VersionPath, Response.Text(429, "slow down").With("Retry-After", "30"), Ok);
        using var client = server.Client(FastOptions with { MaxDelay = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(9, await client.GetTableVersionAsync(Table));

        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        // 30 s asked for, capped at 300 ms; without Retry-After the backoff would be about 1 ms.
        Assert.InRange((requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds, 250, 10_000);
    }

    [Fact]
    public async Task ConnectionFailureBeforeHeaders_IsRetried()
    {
        await using var server = await StartAsync();
        server.Route("GET", VersionPath, Ok);
        using var http = new HttpClient(new FailingHandler(failures: 2));
        using var client = server.Client(http: http);

        Assert.Equal(9, await client.GetTableVersionAsync(Table));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ConnectionRefused_SurfacesAsSharingException_AfterRetries()
    {
        int port;
        using (var listener = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        var profile = new SharingProfile(1, new Uri($"http://127.0.0.1:{port}/p"), Token, null);
        using var client = new SharingClient(profile, null, FastOptions with { MaxRetries = 2 });

        var e = await AssertFailsAsync<SharingException>(() => client.GetTableVersionAsync(Table));

        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.Contains("after 3 attempt(s)", e.Message);
    }

    /// <summary>Fails the first sends as a dropped connection would, then passes requests through.</summary>
    private sealed class FailingHandler(int failures) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _left = failures;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _left) >= 0
                ? Task.FromException<HttpResponseMessage>(new HttpRequestException("connection reset"))
                : base.SendAsync(request, cancellationToken);
    }
}
