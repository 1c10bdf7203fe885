using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>
/// Recipients see only their shares: every endpoint refuses a missing, wrong or expired token (401), and another
/// recipient's share answers exactly as a share that does not exist (404, same body), on lists and tables alike.
/// </summary>
public sealed class RecipientAccessTests(RecipientFixture fixture) : IClassFixture<RecipientFixture>
{
    private const string Table = "/shares/share1/schemas/default/tables/cdf";

    /// <summary>Every bearer-authenticated endpoint, as method, path under the prefix, and body.</summary>
    public static readonly (string Method, string Path, string? Body)[] Endpoints =
    [
        ("GET", "/shares", null),
        ("GET", "/shares/share1", null),
        ("GET", "/shares/share1/schemas", null),
        ("GET", "/shares/share1/schemas/default/tables", null),
        ("GET", "/shares/share1/all-tables", null),
        ("GET", Table + "/version", null),
        ("HEAD", Table, null),
        ("GET", Table + "/metadata", null),
        ("POST", Table + "/query", "{}"),
        ("GET", Table + "/changes?startingVersion=0", null),
    ];

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Every_endpoint_answers_401_without_a_token_with_a_wrong_one_and_with_an_expired_one_and_200_with_alices()
    {
        foreach (var token in new[] { null, "not-a-token", RecipientFixture.AliceToken + "x", RecipientFixture.CarolToken })
        {
            using var http = RecipientFixture.ClientFor(token);
            foreach (var endpoint in Endpoints)
            {
                using var response = await SendAsync(http, endpoint);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{endpoint.Method} {endpoint.Path} with {token ?? "no token"}: {(int)response.StatusCode}");
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            }
        }
        using var alice = RecipientFixture.ClientFor(RecipientFixture.AliceToken);
        foreach (var endpoint in Endpoints)
        {
            using var response = await SendAsync(alice, endpoint);
            Assert.True(response.IsSuccessStatusCode, $"{endpoint.Method} {endpoint.Path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Another_recipients_share_answers_every_endpoint_exactly_as_a_share_that_does_not_exist()
    {
        using var bob = RecipientFixture.ClientFor(RecipientFixture.BobToken);
        foreach (var endpoint in Endpoints.Where(e => e.Path != "/shares"))
        {
            using var granted = await SendAsync(bob, endpoint);
            using var unknown = await SendAsync(bob, endpoint with { Path = endpoint.Path.Replace("share1", "nosuch", StringComparison.Ordinal) });
            Assert.True(granted.StatusCode == HttpStatusCode.NotFound, $"{endpoint.Method} {endpoint.Path}: {(int)granted.StatusCode}");
            Assert.Equal(unknown.StatusCode, granted.StatusCode);
            var body = await granted.Content.ReadAsStringAsync();
            Assert.Equal(await unknown.Content.ReadAsStringAsync(), body.Replace("share1", "nosuch", StringComparison.Ordinal));
            Assert.DoesNotContain("cdf", body.Replace(endpoint.Path, "", StringComparison.Ordinal).Replace("'share1.default.cdf'", "", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_table_of_a_granted_share_is_404_for_the_other_recipient_and_readable_for_its_own()
    {
        const string path = "/shares/share2/schemas/s2/tables/t2/version";
        using var alice = RecipientFixture.ClientFor(RecipientFixture.AliceToken);
        using var bob = RecipientFixture.ClientFor(RecipientFixture.BobToken);
        await TestServer.AssertErrorAsync(await alice.GetAsync(Server.Base + path), 404, "RESOURCE_DOES_NOT_EXIST");
        using var own = await bob.GetAsync(Server.Base + path);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("4", TestServer.Header(own, "Delta-Table-Version"));
    }

    [Theory]
    [InlineData(RecipientFixture.AliceToken, "share1")]
    [InlineData(RecipientFixture.BobToken, "share2")]
    [InlineData(TestServer.Token, "share1,share2")]
    public async Task Share_lists_show_each_recipient_only_its_grants(string token, string expected)
    {
        using var http = RecipientFixture.ClientFor(token);
        var body = await TestServer.JsonAsync(await http.GetAsync(Server.Base + "/shares"));
        Assert.Equal(expected, string.Join(",", body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString())));
    }

    [Fact]
    public async Task Tokens_issued_to_an_oauth_client_carry_the_grants_of_the_recipient_it_names()
    {
        using var anonymous = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, Server.Host.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RecipientFixture.AppId}:{RecipientFixture.AppSecret}")));
        using var answer = await anonymous.SendAsync(request);
        var token = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();

        using var app = RecipientFixture.ClientFor(token);
        var shares = await TestServer.JsonAsync(await app.GetAsync(Server.Base + "/shares"));
        Assert.Equal("share1", shares.GetProperty("items").EnumerateArray().Single().GetProperty("name").GetString());
        await TestServer.AssertErrorAsync(await app.GetAsync(Server.Base + "/shares/share2/all-tables"), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task A_file_url_signed_for_one_table_opens_no_other_table_or_share()
    {
        using var alice = RecipientFixture.ClientFor(RecipientFixture.AliceToken);
        using var response = await alice.PostAsync(Server.Base + "/shares/share1/schemas/default/tables/simple_table/query",
            new StringContent("{}", Encoding.UTF8, "application/json"));
        var url = (await TestServer.LinesAsync(response)).Last().GetProperty("file").GetProperty("url").GetString()!;
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url)).StatusCode);
        foreach (var moved in new[]
        {
            url.Replace("/share1/default/simple_table/", "/share2/s2/t2/", StringComparison.Ordinal),
            url.Replace("/share1/default/simple_table/", "/share1/nohistory/simple_table/", StringComparison.Ordinal),
        })
            await TestServer.AssertErrorAsync(await anonymous.GetAsync(moved), 403, "PERMISSION_DENIED");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, (string Method, string Path, string? Body) endpoint)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), Server.Base + endpoint.Path);
        if (endpoint.Body is not null)
            request.Content = new StringContent(endpoint.Body, Encoding.UTF8, "application/json");
        return await http.SendAsync(request);
    }
}
