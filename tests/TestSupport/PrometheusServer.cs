using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ReplicaSync.TestSupport;

/// <summary>
/// A real Prometheus server on 127.0.0.1 (Debian package <c>prometheus</c>) with a temp config and data dir, scraping
/// one target every second; killed on dispose. Without the binary on PATH the test fails saying so, never skips.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir;
    private readonly ChildServer _server;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PrometheusServer(TempDirectory dir, ChildServer server, string address)
    {
        _dir = dir;
        _server = server;
        Address = address;
    }

    public string Address { get; }

    /// <summary>Starts a server scraping <paramref name="target"/> (host:port, path /metrics) and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string target)
    {
        var dir = new TempDirectory("prometheus");
        var executable = ChildServer.Require("prometheus", "the metrics tests need it (apt-get install prometheus; scripts/test.sh does)");
        var config = dir.Combine("prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: replicasync
                static_configs:
                  - targets: ["{target}"]
            """);
        var address = $"http://127.0.0.1:{FreePort.Next()}";
        var start = new ProcessStartInfo(executable,
            [$"--config.file={config}", $"--storage.tsdb.path={dir.Combine("data")}", $"--web.listen-address={address[7..]}"]);
        try
        {
            var server = await ChildServer.StartAsync("prometheus", start, async http =>
            {
                using var ready = await http.GetAsync(address + "/-/ready");
                return ready.IsSuccessStatusCode;
            }, StartupLimit);
            return new PrometheusServer(dir, server, address);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Runs an instant query through the HTTP API and returns its result vector (empty until a scrape has it).</summary>
    public async Task<JsonArray> QueryAsync(string promql)
    {
        var json = await _http.GetStringAsync($"{Address}/api/v1/query?query={Uri.EscapeDataString(promql)}");
        var answer = JsonNode.Parse(json)!;
        Assert.Equal("success", (string?)answer["status"]);
        return answer["data"]!["result"]!.AsArray();
    }

    public void Dispose()
    {
        _server.Dispose();
        _http.Dispose();
        _dir.Dispose();
    }
}
