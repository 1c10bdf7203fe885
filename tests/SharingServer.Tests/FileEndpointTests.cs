using System.Net;
using System.Net.Http.Headers;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

public sealed class FileEndpointTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string File0 = "part-00000-2befed33-c358-4768-a43c-3eda0d2a499d-c000.snappy.parquet";

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task SignedUrlsNeedNoBearerTokenAndSendContentLength()
    {
        var url = await SignedUrlAsync();
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = await File.ReadAllBytesAsync(Path.Combine(TestPaths.Table("simple_table"), File0));
        Assert.Equal(expected.Length, response.Content.Headers.ContentLength);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("bytes", response.Headers.AcceptRanges);
    }

    [Fact]
    public async Task HeadReportsTheSizeWithoutABody()
    {
        using var anonymous = new HttpClient();
        using var response = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, await SignedUrlAsync()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(262, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TamperedOrMissingSignaturesAre403()
    {
        var url = await SignedUrlAsync();
        var sig = url[(url.IndexOf("sig=", StringComparison.Ordinal) + 4)..];
        var flipped = (sig[0] == 'a' ? 'b' : 'a') + sig[1..];
        var expiresStart = url.IndexOf("expires=", StringComparison.Ordinal) + 8;
        var expires = long.Parse(url[expiresStart..url.IndexOf('&')]);
        using var anonymous = new HttpClient();
        foreach (var bad in new[]
        {
            url.Replace(sig, flipped),
            url.Replace($"expires={expires}", $"expires={expires + 1000}"),
            url[..url.IndexOf('&')],
            url.Split('?')[0],
            url.Replace("/simple_table/", "/delta_0_8_0/"),
            url.Replace(File0, "part-00004-80938522-09c0-420c-861f-5a649e3d9674-c000.snappy.parquet"),
        })
        {
            await TestServer.AssertErrorAsync(await anonymous.GetAsync(bad), 403, "PERMISSION_DENIED");
        }
    }

    [Fact]
    public async Task ExpiredUrlsAre403()
    {
        var config = TestServer.DefaultConfig();
        config.UrlLifetimeSeconds = 1;
        await using var server = await TestServer.StartAsync(config);
        var lines = await server.QueryLinesAsync("simple_table", new { });
        var file = TestServer.Wrapped(lines, "file").First();
        var url = file.GetProperty("url").GetString()!;
        var expires = file.GetProperty("expirationTimestamp").GetInt64();
        Assert.InRange(expires - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0, 1000);
        Assert.Contains($"expires={expires}&", url);
        using var anonymous = new HttpClient();
        using (var fresh = await anonymous.GetAsync(url))
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, expires - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) + 50));
        await TestServer.AssertErrorAsync(await anonymous.GetAsync(url), 403, "PERMISSION_DENIED");
    }

    [Theory]
    [InlineData("%2e%2e/%2e%2e/%2e%2e/simple_table/_delta_log/00000000000000000000.json")]
    [InlineData("../_delta_log/00000000000000000000.json")]
    [InlineData("..%2F_delta_log%2F00000000000000000000.json")]
    [InlineData("%2E%2E%2F%2E%2E%2Fetc%2Fpasswd")]
    [InlineData("./" + File0)]
    [InlineData("a//" + File0)]
    public async Task PathTraversalIsRefused(string tail)
    {
        var url = await SignedUrlAsync();
        var root = url[..url.IndexOf(File0, StringComparison.Ordinal)];
        var target = new Uri(root + tail + url[url.IndexOf('?')..], new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync(target);
        var status = (int)response.StatusCode;
        Assert.InRange(status, 400, 499);
    }

    [Theory]
    [InlineData("bytes=10-19", 10, 10)]
    [InlineData("bytes=250-", 250, 12)]
    [InlineData("bytes=-5", 257, 5)]
    [InlineData("bytes=0-100000", 0, 262)]
    public async Task RangeRequestsReturn206WithTheRightBytes(string range, int offset, int length)
    {
        var url = await SignedUrlAsync();
        var expected = await File.ReadAllBytesAsync(Path.Combine(TestPaths.Table("simple_table"), File0));
        Assert.Equal(262, expected.Length);
        using var anonymous = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = RangeHeaderValue.Parse(range);
        using var response = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(length, response.Content.Headers.ContentLength);
        Assert.Equal($"bytes {offset}-{offset + length - 1}/262", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(expected.AsSpan(offset, length).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task UnsatisfiableRangeIs416()
    {
        using var anonymous = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, await SignedUrlAsync());
        request.Headers.Range = RangeHeaderValue.Parse("bytes=262-");
        using var response = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */262", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task AVacuumedFileIs404()
    {
        using var table = new TempTable();
        await table.CommitAsync(0, 1000, TempTable.Protocol(), TempTable.Metadata(), await table.DataFileAsync("gone.parquet"));
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));
        var url = TestServer.Wrapped(await server.QueryLinesAsync("t", new { }), "file").Single().GetProperty("url").GetString()!;
        File.Delete(Path.Combine(table.Location, "gone.parquet"));
        using var anonymous = new HttpClient();
        await TestServer.AssertErrorAsync(await anonymous.GetAsync(url), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    private async Task<string> SignedUrlAsync()
    {
        var lines = await Server.QueryLinesAsync("simple_table", new { });
        return TestServer.Wrapped(lines, "file").Single(f => f.GetProperty("url").GetString()!.Contains(File0)).GetProperty("url").GetString()!;
    }
}
