namespace ReplicaSync.SharingServer.Tests;

public sealed class FileUrlBaseTests
{
    [Fact]
    public async Task A_table_with_a_file_url_base_signs_urls_on_that_static_server()
    {
        var config = TestServer.DefaultConfig();
        config.Shares[0].Schemas[0].Tables[0].FileUrlBase = "http://static.example:8080/tables/simple/";
        var name = config.Shares[0].Schemas[0].Tables[0].Name;
        await using var server = await TestServer.StartAsync(config);

        var urls = TestServer.Wrapped(await server.QueryLinesAsync(name, new { }), "file").Select(f => f.GetProperty("url").GetString()!).ToList();

        Assert.NotEmpty(urls);
        Assert.All(urls, url => Assert.Matches(@"^http://static\.example:8080/tables/simple/[^?]+\.parquet\?expires=\d+&sig=[0-9a-f]+$", url));
    }

    [Fact]
    public void A_file_url_base_that_is_not_http_is_rejected()
    {
        var config = TestServer.DefaultConfig();
        config.Shares[0].Schemas[0].Tables[0].FileUrlBase = "ftp://static.example/";
        var e = Assert.Throws<SharingConfigException>(config.Validate);
        Assert.Contains("fileUrlBase", e.Message);
    }
}
