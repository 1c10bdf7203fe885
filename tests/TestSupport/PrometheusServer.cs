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
    private readonly TempDirectory _dir = new("prometheus");
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PrometheusServer(string target)
    {
        var executable = Executables.Find("prometheus")
            ?? throw new InvalidOperationException("prometheus is not on PATH: the metrics tests need it (apt-get install prometheus; scripts/test.sh does).");
        var config = _dir.Combine("prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: replicasync
                static_configs:
                  - targets: ["{target}"]
            """);
        Address = $"http://127.0.0.1:{FreePort.Next()}";
        var start = new ProcessStartInfo(executable,
            [$"--config.file={config}", $"--storage.tsdb.path={_dir.Combine("data")}", $"--web.listen-address={Address[7..]}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Address { get; }

    /// <summary>Starts a server scraping <paramref name="target"/> (host:port, path /metrics) and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string target)
    {
        var server = new PrometheusServer(target);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < StartupLimit)
        {
            if (server._process.HasExited)
                throw new InvalidOperationException($"prometheus exited with code {server._process.ExitCode}");
            try
            {
                using var ready = await server._http.GetAsync(server.Address + "/-/ready");
                if (ready.IsSuccessStatusCode)
                    return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        server.Dispose();
        throw new TimeoutException($"prometheus was not ready within {StartupLimit.TotalSeconds} s");
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
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _http.Dispose();
        _dir.Dispose();
    }
}
