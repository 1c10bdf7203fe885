using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>With <c>otlp:endpoint</c> configured, the daemon pushes its metrics and run spans to the collector over OTLP.</summary>
public sealed class DaemonOtlpTests
{
    [Fact]
    public async Task Metrics_and_traces_reach_an_otlp_http_collector()
    {
        using var provider = new TempDirectory("daemon-otlp-provider");
        using var replicas = new TempDirectory("daemon-otlp-replicas");
        var table = new ProviderTableBuilder(provider.Path, seed: 5);
        await table.CreateAsync("a", "b");
        await table.AppendAsync("c");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        var received = new ConcurrentQueue<(string Path, string? ContentType, byte[] Body)>();
        await using var collector = await StartCollectorAsync(received);
        var config = DaemonConfig.For(sharing, replicas.Path, ("t", "1"));
        config["otlp"] = new JsonObject { ["endpoint"] = collector.Urls.Single(), ["protocol"] = "http/protobuf", ["exportIntervalSeconds"] = 1 };

        using var daemon = await DaemonProcess.StartAsync(sharing.Dir.Combine("daemon.json"), config);
        await daemon.WaitForReplicaVersionAsync("t", table.Version);
        await daemon.WaitUntilAsync(() => Task.FromResult(
            Has(received, "/v1/metrics", "replicasync.copied.bytes") && Has(received, "/v1/traces", "sync table")), "OTLP metrics and traces at the collector");

        Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
        Assert.Equal(0, (await daemon.TerminateAsync()).ExitCode);
    }

    private static bool Has(ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> received, string path, string text) =>
        received.Any(r => r.Path == path && Encoding.UTF8.GetString(r.Body).Contains(text, StringComparison.Ordinal));

    /// <summary>A stand-in OTLP/HTTP collector: accepts every export and remembers what arrived.</summary>
    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<(string, string?, byte[])> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue((request.Path.Value!, request.ContentType, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return app;
    }
}
