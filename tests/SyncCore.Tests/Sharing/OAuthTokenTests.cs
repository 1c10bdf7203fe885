using System.Text;
using ReplicaSync.Sharing;
using ReplicaSync.Sharing.Auth;
using ReplicaSync.TestSupport;
using static ReplicaSync.Tests.Sharing.ScriptedSharingServer;
using static ReplicaSync.Tests.Sharing.SharingTestData;

namespace ReplicaSync.Tests.Sharing;

/// <summary>The OAuth client-credentials exchange against a scripted token endpoint and sharing server.</summary>
public sealed class OAuthTokenTests
{
    private const string Secret = "cl1ent-S3CRET-a7b6c5";
    private const string ClientId = "partner id/7";
    private const string TokenPath = "/oauth/token";
    private const string VersionPath = "/shares/sales/schemas/retail/tables/orders/version";

    [Fact]
    public async Task Exchange_posts_the_client_credentials_grant_with_Basic_auth_and_the_scope_then_sends_the_token_as_bearer()
    {
        await using var server = await StartAsync();
        server.Route("POST", TokenPath, TokenAnswer("at-1", 3600));
        server.Route("GET", VersionPath, Response.Empty(200).With("Delta-Table-Version", "3"));
        using var client = Client(server, scope: "sharing read");

        Assert.Equal(3, await client.GetTableVersionAsync(Table));

        var exchange = Assert.Single(server.RequestsTo(TokenPath));
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before the Basic encoding.
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("partner+id%2F7:" + Secret)), exchange.Header("Authorization"));
        Assert.StartsWith("application/x-www-form-urlencoded", exchange.Header("Content-Type"));
        Assert.Equal("grant_type=client_credentials&scope=sharing+read", exchange.Body);
        Assert.Equal("Bearer at-1", Assert.Single(server.RequestsTo(VersionPath)).Header("Authorization"));
    }

    [Fact]
    public async Task The_token_is_cached_and_requests_running_at_once_share_one_exchange()
    {
        await using var server = await StartAsync();
        server.Route("POST", TokenPath, (_, hit) => TokenAnswer($"at-{hit}", 3600));
        server.Route("GET", VersionPath, Response.Empty(200).With("Delta-Table-Version", "3"));
        using var client = Client(server);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.GetTableVersionAsync(Table)));
        await client.GetTableVersionAsync(Table);

        Assert.Single(server.RequestsTo(TokenPath));
        Assert.All(server.RequestsTo(VersionPath), r => Assert.Equal("Bearer at-1", r.Header("Authorization")));
    }

    [Theory]
    [InlineData(3600, 49, 51)] // renewed when under 10 minutes remain
    [InlineData(60, 29, 31)]   // a short-lived token is renewed at half its life
    public async Task The_token_is_renewed_before_it_expires(int lifetimeSeconds, int cachedAtSixtieths, int renewedAtSixtieths)
    {
        await using var server = await StartAsync();
        server.Route("POST", TokenPath, (_, hit) => TokenAnswer($"at-{hit}", lifetimeSeconds));
        server.Route("GET", VersionPath, Response.Empty(200).With("Delta-Table-Version", "3"));
        var clock = new ManualClock();
        using var client = Client(server, clock: clock);
        var unit = TimeSpan.FromSeconds(lifetimeSeconds / 60.0); // the times below are in sixtieths of the lifetime

        await client.GetTableVersionAsync(Table);
        clock.AdvanceTo(cachedAtSixtieths * unit);
        await client.GetTableVersionAsync(Table);
        clock.AdvanceTo(renewedAtSixtieths * unit);
        await client.GetTableVersionAsync(Table);

        Assert.Equal(["Bearer at-1", "Bearer at-1", "Bearer at-2"], server.RequestsTo(VersionPath).Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task The_exchange_is_retried_on_429_and_5xx()
    {
        await using var server = await StartAsync();
        server.Route("POST", TokenPath, Response.Json(503, "{}"), Response.Json(429, "{}"), Response.Json(500, "{}"), TokenAnswer("at-1", 3600));
        server.Route("GET", VersionPath, Response.Empty(200).With("Delta-Table-Version", "3"));
        using var client = Client(server);

        Assert.Equal(3, await client.GetTableVersionAsync(Table));

        Assert.Equal(4, server.RequestsTo(TokenPath).Count);
    }

    [Fact]
    public async Task A_401_from_the_token_endpoint_fails_at_once_with_a_clear_error_that_leaks_neither_secret_nor_credentials()
    {
        await using var server = await StartAsync();
        // A careless endpoint quoting the secret and the Basic header back.
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("partner+id%2F7:" + Secret));
        server.Route("POST", TokenPath, Response.Json(401, $$"""{"error":"invalid_client","error_description":"bad secret {{Secret}} in Basic {{basic}}"}"""));
        using var client = Client(server);

        var e = await AssertFailsAsync<TokenEndpointException>(() => client.GetTableVersionAsync(Table));

        Assert.Equal(401, e.StatusCode);
        Assert.Contains($"token endpoint {server.Endpoint}{TokenPath} answered 401 invalid_client", e.Message);
        Assert.Contains("clientSecret", e.Message);
        Assert.DoesNotContain(Secret, e.ToString());
        Assert.DoesNotContain(basic, e.ToString());
        Assert.Single(server.RequestsTo(TokenPath));
        Assert.Empty(server.RequestsTo(VersionPath));
    }

    [Fact]
    public async Task A_token_endpoint_that_is_down_fails_after_the_retries_naming_the_endpoint()
    {
        await using var server = await StartAsync();
        var port = FreePort.Next(); // nothing listens there
        var profile = OAuthProfile(server, new Uri($"http://127.0.0.1:{port}/oauth/token"), null);
        using var client = new SharingClient(profile, options: FastOptions);

        var e = await AssertFailsAsync<TokenEndpointException>(() => client.GetTableVersionAsync(Table));

        Assert.Null(e.StatusCode);
        Assert.Contains($"token endpoint http://127.0.0.1:{port}/oauth/token could not be reached after {FastOptions.MaxRetries + 1} attempt(s)", e.Message);
        Assert.DoesNotContain(Secret, e.ToString());
        Assert.Empty(server.RequestsTo(VersionPath));
    }

    [Theory]
    [InlineData("""{"token_type":"Bearer","expires_in":3600}""", "'access_token'")]
    [InlineData("""{"access_token":"at-1","token_type":"mac"}""", "'token_type'")]
    [InlineData("""{"access_token":"at-1","expires_in":-5}""", "'expires_in'")]
    [InlineData("""<html>at-1</html>""", "not JSON")]
    public async Task A_malformed_token_answer_is_an_error_that_does_not_quote_the_body(string body, string hint)
    {
        await using var server = await StartAsync();
        server.Route("POST", TokenPath, Response.Text(200, body, "application/json"));
        using var client = Client(server);

        var e = await AssertFailsAsync<TokenEndpointException>(() => client.GetTableVersionAsync(Table));

        Assert.Contains(hint, e.Message);
        Assert.DoesNotContain("at-1", e.Message);
    }

    [Fact]
    public async Task A_401_from_the_sharing_server_renews_the_token_once_and_retries()
    {
        await using var server = await StartAsync();
        server.Route("POST", TokenPath, (_, hit) => TokenAnswer($"at-{hit}", 3600));
        server.Route("GET", VersionPath, (request, _) => request.Header("Authorization") == "Bearer at-2"
            ? Response.Empty(200).With("Delta-Table-Version", "9")
            : Response.Json(401, """{"errorCode":"UNAUTHENTICATED","message":"token expired"}"""));
        using var client = Client(server);

        Assert.Equal(9, await client.GetTableVersionAsync(Table));

        Assert.Equal(2, server.RequestsTo(TokenPath).Count);
        Assert.Equal(["Bearer at-1", "Bearer at-2"], server.RequestsTo(VersionPath).Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task A_second_401_after_renewal_is_reported_without_the_tokens()
    {
        await using var server = await StartAsync();
        server.Route("POST", TokenPath, (_, hit) => TokenAnswer($"at-S3CRET-{hit}", 3600));
        server.Route("GET", VersionPath, (request, _) => Response.Json(401, $$"""{"errorCode":"UNAUTHENTICATED","message":"rejected {{request.Header("Authorization")}}"}"""));
        using var client = Client(server);

        var e = await AssertFailsAsync<SharingHttpException>(() => client.GetTableVersionAsync(Table));

        Assert.Equal(401, e.StatusCode);
        Assert.Equal(2, server.RequestsTo(TokenPath).Count);
        Assert.Equal(2, server.RequestsTo(VersionPath).Count);
        Assert.DoesNotContain("at-S3CRET", e.ToString());
    }

    [Fact]
    public async Task A_shared_token_cache_reuses_the_token_across_clients_until_the_secret_changes()
    {
        await using var server = await StartAsync();
        server.Route("POST", TokenPath, (_, hit) => TokenAnswer($"at-{hit}", 3600));
        server.Route("GET", VersionPath, Response.Empty(200).With("Delta-Table-Version", "3"));
        using var cache = new OAuthTokenCache();
        var tokenEndpoint = new Uri(server.Endpoint + TokenPath);
        var original = OAuthProfile(server, tokenEndpoint, null);
        var rotated = original with { OAuth = original.OAuth! with { ClientSecret = "rotated-S3CRET" } };

        foreach (var profile in new[] { original, OAuthProfile(server, tokenEndpoint, null), rotated })
        {
            using var client = new SharingClient(profile, options: FastOptions with { TokenCache = cache });
            await client.GetTableVersionAsync(Table);
        }

        Assert.Equal(2, server.RequestsTo(TokenPath).Count);
        Assert.Equal(["Bearer at-1", "Bearer at-1", "Bearer at-2"], server.RequestsTo(VersionPath).Select(r => r.Header("Authorization")));
    }

    [Fact]
    public void A_bearer_profile_never_renews_and_an_OAuth_token_without_lifetime_stays_fresh()
    {
        Assert.False(new ProfileBearerToken("t").Reject("t"));
        Assert.True(new AccessToken("t", 0, null).IsFresh(new ManualClock()));
    }

    private static Response TokenAnswer(string token, int expiresIn) =>
        Response.Json(200, $$"""{"access_token":"{{token}}","token_type":"Bearer","expires_in":{{expiresIn}}}""");

    private static SharingProfile OAuthProfile(ScriptedSharingServer server, Uri tokenEndpoint, string? scope) =>
        new(2, server.Endpoint, null, null) { OAuth = new OAuthClientCredentials(tokenEndpoint, ClientId, Secret, scope) };

    private static SharingClient Client(ScriptedSharingServer server, string? scope = null, TimeProvider? clock = null) =>
        new(OAuthProfile(server, new Uri(server.Endpoint + TokenPath), scope), options: FastOptions with { Clock = clock ?? TimeProvider.System });
}
