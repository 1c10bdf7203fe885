using System.Net;
using System.Text;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>
/// Hostile input against a server with recipients: path traversal and encoded tricks in share, schema and table
/// names and in file keys, oversized bodies, absurd <c>maxFiles</c>, and signed file URLs with a tampered expiry.
/// </summary>
public sealed class HostileRequestTests(RecipientFixture fixture) : IClassFixture<RecipientFixture>
{
    private TestServer Server => fixture.Server;

    [Theory]
    [InlineData("/shares/..")]
    [InlineData("/shares/%2e%2e/schemas")]
    [InlineData("/shares/share1%2F..%2Fshare2/schemas")]
    [InlineData("/shares/share1/schemas/..%2F..%2Fshares%2Fshare2/tables")]
    [InlineData("/shares/share1/schemas/default/tables/..%2F..%2F..%2Fshare2%2Fschemas%2Fs2%2Ftables%2Ft2/version")]
    [InlineData("/shares/share2%00/all-tables")]
    [InlineData("/shares/share%32/all-tables")]
    [InlineData("/shares/share1/schemas/default/tables/%252e%252e/metadata")]
    [InlineData("/shares/share1/schemas/default/tables/simple_table%2F..%2F..%2F..%2F..%2Fetc/query")]
    [InlineData("/shares/share1/../share2/all-tables")]
    public async Task Traversal_and_encoded_names_never_reach_another_share_or_table(string path)
    {
        using var alice = RecipientFixture.ClientFor(RecipientFixture.AliceToken);
        var method = path.EndsWith("/query", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;
        var request = new HttpRequestMessage(method, Raw(Server.Base + path)) { Content = method == HttpMethod.Post ? Json("{}") : null };

        using var response = await alice.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {body}");
        // An error (ours, or Kestrel's for a NUL), never a listing, a version or table lines.
        Assert.DoesNotContain("\"items\"", body);
        Assert.DoesNotContain("\"metaData\"", body);
        Assert.False(response.Headers.Contains("Delta-Table-Version"));
    }

    [Theory]
    [InlineData("..", "simple_table/_delta_log/00000000000000000000.json")]
    [InlineData("%2e%2e", "simple_table/_delta_log/00000000000000000000.json")]
    [InlineData("sub%2F..%2F..", "_delta_log/00000000000000000000.json")]
    [InlineData(".", "_delta_log/00000000000000000000.json")]
    public async Task File_keys_with_dot_segments_or_encoded_separators_are_refused(string trick, string rest)
    {
        var url = await SignedUrlAsync();
        var query = url[url.IndexOf('?')..];
        var tableBase = url[..(url.IndexOf("/simple_table/", StringComparison.Ordinal) + "/simple_table/".Length)];
        using var anonymous = new HttpClient();

        using var response = await anonymous.GetAsync(Raw($"{tableBase}{trick}/{rest}{query}"));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
            $"{trick}/{rest}: {(int)response.StatusCode}");
        Assert.DoesNotContain("commitInfo", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_log_naming_files_outside_the_table_gets_no_url_for_them()
    {
        using var table = new TempTable();
        var inside = await table.DataFileAsync("part-0.parquet");
        await table.CommitAsync(0, 1_700_000_000_000, TempTable.Protocol(), TempTable.Metadata(), inside);
        var outside = await table.DataFileAsync("outside.parquet");
        outside.Path = "%2E%2E/outside.parquet";
        await table.CommitAsync(1, 1_700_000_001_000, outside);
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));

        using var response = await server.QueryAsync("t", new { }, capabilities: "includeendstreamaction=true");

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("outside.parquet", text);
        Assert.Contains("not a plain key inside the table", text);
        Assert.Contains("\"endStreamAction\"", text);
    }

    [Fact]
    public async Task A_signed_file_url_with_its_expiry_moved_later_is_refused()
    {
        var url = await SignedUrlAsync();
        var start = url.IndexOf("expires=", StringComparison.Ordinal) + "expires=".Length;
        var expires = url[start..url.IndexOf('&', start)];
        using var anonymous = new HttpClient();
        foreach (var later in new[] { "9999999999999", (long.Parse(expires) + 1).ToString(), expires + "0", "0" + expires })
            await TestServer.AssertErrorAsync(await anonymous.GetAsync(url.Replace("expires=" + expires, "expires=" + later, StringComparison.Ordinal)), 403, "PERMISSION_DENIED");
    }

    [Fact]
    public async Task Bodies_over_the_cap_are_413_whether_declared_or_chunked_and_on_the_token_endpoint_too()
    {
        using var alice = RecipientFixture.ClientFor(RecipientFixture.AliceToken);
        var big = "{\"predicateHints\":[\"" + new string('x', 2 * RecipientFixture.BodyLimit) + "\"]}";
        var queryUrl = Server.TableUrl("simple_table") + "/query";

        await TestServer.AssertErrorAsync(await alice.PostAsync(queryUrl, Json(big)), 413);
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, queryUrl) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await TestServer.AssertErrorAsync(await alice.SendAsync(request), 413);
        var form = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("padding", new string('p', 2 * RecipientFixture.BodyLimit))]);
        using var token = await new HttpClient().PostAsync(Server.Host.TokenEndpoint, form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, token.StatusCode);
        // Under the cap the same query is served.
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsync(queryUrl, Json("{\"predicateHints\":[\"x\"]}"))).StatusCode);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("2147483648")]
    [InlineData("1e300")]
    [InlineData("99999999999999999999999")]
    [InlineData("1.5")]
    [InlineData("\"many\"")]
    [InlineData("true")]
    public async Task Absurd_max_files_are_400_naming_the_field(string value)
    {
        using var alice = RecipientFixture.ClientFor(RecipientFixture.AliceToken);
        using var response = await alice.PostAsync(Server.TableUrl("simple_table") + "/query", Json($"{{\"maxFiles\":{value}}}"));
        await TestServer.AssertErrorAsync(response, 400);
        Assert.Contains("maxFiles", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> SignedUrlAsync()
    {
        using var alice = RecipientFixture.ClientFor(RecipientFixture.AliceToken);
        using var response = await alice.PostAsync(Server.TableUrl("simple_table") + "/query", Json("{}"));
        return (await TestServer.LinesAsync(response)).Last().GetProperty("file").GetProperty("url").GetString()!;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    // Sent exactly as written: no dot-segment removal or unescaping on the way out.
    private static Uri Raw(string url) => new(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
}
