using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>POST /oauth/token: the client-credentials grant, the tokens it issues, and their expiry.</summary>
public sealed class OAuthTokenEndpointTests : IDisposable
{
    private const string ClientId = "partner";
    private const string Secret = "partner-secret-31c4";
    private const string HashedClientId = "hashed";
    private const string HashedSecret = "hashed-secret-88e0";

    private readonly HttpClient _http = new();

    [Fact]
    public async Task A_valid_client_gets_a_bearer_token_with_the_configured_lifetime_that_the_endpoints_accept()
    {
        await using var server = await StartAsync(lifetimeSeconds: 120);

        using var answer = await RequestTokenAsync(server, ClientId, Secret);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        var body = await TestServer.JsonAsync(answer);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(120, body.GetProperty("expires_in").GetInt64());
        var token = body.GetProperty("access_token").GetString()!;
        Assert.True(token.Length >= 40, "a token carries at least 32 random bytes");
        using var shares = await GetSharesAsync(server, token);
        Assert.Equal(HttpStatusCode.OK, shares.StatusCode);
        Assert.Equal(1, server.Host.IssuedTokens.IssuedCount);
    }

    [Fact]
    public async Task A_client_configured_by_the_secret_hash_is_accepted_and_each_exchange_issues_a_new_token()
    {
        await using var server = await StartAsync();

        var first = await TokenAsync(server, HashedClientId, HashedSecret);
        var second = await TokenAsync(server, HashedClientId, HashedSecret);

        Assert.NotEqual(first, second);
        using var shares = await GetSharesAsync(server, second);
        Assert.Equal(HttpStatusCode.OK, shares.StatusCode);
    }

    [Theory]
    [InlineData(ClientId, "wrong-secret")]
    [InlineData("stranger", Secret)]
    [InlineData(null, null)]
    public async Task Wrong_or_missing_credentials_get_401_invalid_client(string? id, string? secret)
    {
        await using var server = await StartAsync();

        using var answer = await RequestTokenAsync(server, id, secret);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Contains("Basic", answer.Headers.WwwAuthenticate.ToString());
        Assert.Equal("invalid_client", (await TestServer.JsonAsync(answer)).GetProperty("error").GetString());
        Assert.Equal(0, server.Host.IssuedTokens.IssuedCount);
    }

    [Fact]
    public async Task Another_grant_type_gets_400_unsupported_grant_type()
    {
        await using var server = await StartAsync();

        using var answer = await RequestTokenAsync(server, ClientId, Secret, grantType: "password");

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("unsupported_grant_type", (await TestServer.JsonAsync(answer)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_expired_token_and_an_invented_one_are_rejected_while_configured_bearer_tokens_still_work()
    {
        await using var server = await StartAsync();
        var token = await TokenAsync(server, ClientId, Secret);

        server.Host.IssuedTokens.ExpireAll();

        using var expired = await GetSharesAsync(server, token);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        using var invented = await GetSharesAsync(server, "not-issued-" + token[..10]);
        Assert.Equal(HttpStatusCode.Unauthorized, invented.StatusCode);
        using var configured = await GetSharesAsync(server, TestServer.Token);
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
    }

    [Fact]
    public async Task Injected_token_faults_answer_the_token_endpoint_with_that_status()
    {
        await using var server = await StartAsync();
        server.Host.Faults.Add(new FaultRule { Match = FaultMatch.Token, Status = 503, Times = 1 });

        using var faulted = await RequestTokenAsync(server, ClientId, Secret);
        using var next = await RequestTokenAsync(server, ClientId, Secret);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, server.Host.Faults.RequestCount(RequestKind.Token));
    }

    public void Dispose() => _http.Dispose();

    private static async Task<TestServer> StartAsync(int lifetimeSeconds = 3600)
    {
        var config = TestServer.DefaultConfig();
        config.OAuthClients =
        [
            new OAuthClientConfig { ClientId = ClientId, ClientSecret = Secret, TokenLifetimeSeconds = lifetimeSeconds },
            new OAuthClientConfig { ClientId = HashedClientId, ClientSecretSha256 = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(HashedSecret))) },
        ];
        return await TestServer.StartAsync(config);
    }

    private async Task<HttpResponseMessage> RequestTokenAsync(TestServer server, string? id, string? secret, string grantType = "client_credentials")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, server.Host.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", grantType)]),
        };
        if (id is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(WebUtility.UrlEncode(id) + ":" + WebUtility.UrlEncode(secret))));
        return await _http.SendAsync(request);
    }

    private async Task<string> TokenAsync(TestServer server, string id, string secret)
    {
        using var answer = await RequestTokenAsync(server, id, secret);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return (await TestServer.JsonAsync(answer)).GetProperty("access_token").GetString()!;
    }

    private async Task<HttpResponseMessage> GetSharesAsync(TestServer server, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, server.Base + "/shares");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }
}
