using System.Text.Json.Nodes;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Daemon.Tests.Configuration;

/// <summary>The daemon's <c>serve</c> section: replicas exposed as share.schema.table to recipients, every problem named by its key.</summary>
public sealed class ServeSettingsTests
{
    [Fact]
    public async Task A_serve_section_exposes_each_named_replica_at_its_target_to_the_recipients()
    {
        using var dir = new TempDirectory("serve-settings");
        var settings = Read(dir, await ConfigAsync(dir, new JsonObject
        {
            ["listen"] = "http://0.0.0.0:9090",
            ["recipients"] = new JsonArray(new JsonObject { ["name"] = "eu", ["token"] = "eu-token", ["expires"] = "2030-01-01T00:00:00Z", ["shares"] = new JsonArray("sales") }),
            ["tables"] = new JsonObject { ["orders"] = "sales.eu.orders" },
        }));

        var serve = settings.Serve!;
        Assert.Equal("http://0.0.0.0:9090", serve.Listen);
        var table = serve.Server.Shares.Single().Schemas.Single().Tables.Single();
        Assert.Equal(("sales", "eu", "orders"), (serve.Server.Shares[0].Name, serve.Server.Shares[0].Schemas[0].Name, table.Name));
        Assert.Equal(settings.Tables.Single().Target, table.Location);
        Assert.True(Directory.Exists(table.Location), "a local replica not yet synced is served as an empty directory");
        var recipient = serve.Server.Recipients.Single();
        Assert.Equal((DateTimeOffset?)new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), recipient.Expires);
        Assert.Equal(["sales"], recipient.Shares);
    }

    [Fact]
    public async Task Every_serve_problem_is_named_by_its_key()
    {
        using var dir = new TempDirectory("serve-settings");
        var path = await ConfigAsync(dir, new JsonObject
        {
            ["port"] = 9090,
            ["urlLifetimeSeconds"] = 999_999_999,
            ["recipients"] = new JsonArray(new JsonObject { ["name"] = "eu", ["expires"] = "soon", ["shares"] = new JsonArray("other") }),
            ["tables"] = new JsonObject { ["orders"] = "sales.orders", ["missing"] = "sales.eu.missing" },
        });

        var e = Assert.Throws<DaemonConfigException>(() => Read(dir, path));

        var keys = e.Problems.Select(p => p.Key).ToList();
        foreach (var key in new[]
        {
            "serve:port", "serve:urlLifetimeSeconds", "serve:recipients:0:expires", "serve:tables:orders", "serve:tables:missing",
            "serve:recipients[0].token", "serve:recipients[0].shares[0]",
        })
            Assert.Contains(key, keys);
    }

    private static async Task<string> ConfigAsync(TempDirectory dir, JsonObject serve)
    {
        await File.WriteAllTextAsync(dir.Combine("p.share"), """{"shareCredentialsVersion":1,"endpoint":"http://127.0.0.1:9/ds","bearerToken":"t"}""");
        var config = new JsonObject
        {
            ["tables"] = new JsonObject { ["orders"] = new JsonObject { ["source"] = "p.share#s.d.orders", ["target"] = "replicas/orders", ["intervalSeconds"] = 60 } },
            ["serve"] = serve,
        };
        var path = dir.Combine("daemon.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return path;
    }

    private static DaemonSettings Read(TempDirectory dir, string path) => new SettingsReader(SettingsReader.Load(path), dir.Path).Read();
}
