using System.Net;
using System.Text.Json;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

public sealed class HostTests
{
    [Fact]
    public async Task EndpointHasTheBoundPortAndThePrefix()
    {
        var config = TestServer.DefaultConfig();
        config.PathPrefix = "/api/sharing/";
        await using var host = await SharingServerHost.StartAsync(config);
        Assert.Equal("127.0.0.1", host.Endpoint.Host);
        Assert.NotEqual(0, host.Endpoint.Port);
        Assert.Equal("/api/sharing", host.Endpoint.AbsolutePath);

        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestServer.Token);
        using var response = await client.GetAsync(host.Endpoint + "/shares");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // A URL signed by this server points below its prefix.
        var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint + "/shares/share1/schemas/default/tables/simple_table/query") { Content = new StringContent("{}") };
        var lines = await TestServer.LinesAsync(await client.SendAsync(request));
        Assert.StartsWith(host.Endpoint + "/files/share1/default/simple_table/", TestServer.Wrapped(lines, "file").First().GetProperty("url").GetString());
    }

    [Fact]
    public async Task WriteProfileWritesAVersion1ProfileForThisServer()
    {
        using var dir = new TempDirectory("profile");
        await using var host = await SharingServerHost.StartAsync(TestServer.DefaultConfig());
        var path = host.WriteProfile(dir.Combine("sub", "profile.share"));
        var profile = JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement;
        Assert.Equal(1, profile.GetProperty("shareCredentialsVersion").GetInt32());
        Assert.Equal(host.Endpoint.ToString(), profile.GetProperty("endpoint").GetString());
        Assert.Equal(TestServer.Token, profile.GetProperty("bearerToken").GetString());
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var other = host.WriteProfile(dir.Combine("other.share"), "test-token-2");
        Assert.Equal("test-token-2", JsonDocument.Parse(await File.ReadAllTextAsync(other)).RootElement.GetProperty("bearerToken").GetString());
    }

    [Fact]
    public async Task StartRefusesAnInvalidConfigAndStopIsIdempotent()
    {
        var config = TestServer.DefaultConfig();
        config.BearerTokens.Clear();
        await Assert.ThrowsAsync<SharingConfigException>(() => SharingServerHost.StartAsync(config));

        var host = await SharingServerHost.StartAsync(TestServer.DefaultConfig());
        await host.StopAsync();
        await host.StopAsync();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task UrlsSignedWithAConfiguredKeySurviveARestart()
    {
        var config = TestServer.DefaultConfig();
        config.SigningKey = "a-signing-key-of-some-length";
        string url;
        int port;
        await using (var first = await TestServer.StartAsync(config))
        {
            url = TestServer.Wrapped(await first.QueryLinesAsync("simple_table", new { }), "file").First().GetProperty("url").GetString()!;
            port = first.Host.Endpoint.Port;
        }
        await using var second = await SharingServerHost.StartAsync(config);
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync(url.Replace($":{port}/", $":{second.Endpoint.Port}/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ATableWithoutLogIs400AndACorruptLogIs500WithoutDetails()
    {
        using var empty = new TempDirectory("no-log");
        using var corrupt = new TempTable();
        await corrupt.CommitAsync(0, 1000, TempTable.Protocol(), TempTable.Metadata());
        File.WriteAllText(Path.Combine(corrupt.Location, "_delta_log", "00000000000000000001.json"), "{\"add\": [oops\n");
        var config = TestServer.SingleTable(empty.Path);
        config.Shares[0].Schemas[0].Tables.Add(new TableConfig { Name = "corrupt", Location = corrupt.Location });
        await using var server = await TestServer.StartAsync(config);

        await TestServer.AssertErrorAsync(await server.Http.GetAsync(server.TableUrl("t") + "/version"), 400, "RESOURCE_DOES_NOT_EXIST");
        using var response = await server.Http.GetAsync(server.TableUrl("corrupt") + "/metadata");
        await TestServer.AssertErrorAsync(response, 500, "INTERNAL_ERROR");
        Assert.DoesNotContain(corrupt.Location, await response.Content.ReadAsStringAsync());
    }
}
