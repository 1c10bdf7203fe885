using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>
/// <c>replicasync run --config</c> as a real child process on a free 127.0.0.1 port, with an HTTP client for its
/// endpoints. Waits are bounded and fail the test with the daemon's output; dispose kills a daemon still running.
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(90);

    private readonly CliProcess _process;

    private DaemonProcess(CliProcess process, string address)
    {
        _process = process;
        Address = address;
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Address { get; }
    public HttpClient Http { get; }
    public IReadOnlyList<string> Output => _process.StdoutSoFar;

    /// <summary>
    /// Writes <paramref name="config"/> (with <c>listen</c> set to a free port) next to the profile and starts the daemon,
    /// with <paramref name="environment"/> added to its environment (store endpoints, credentials).
    /// </summary>
    public static async Task<DaemonProcess> StartAsync(string configPath, JsonObject config, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort.Next();
        config["listen"] = $"http://127.0.0.1:{port}";
        await File.WriteAllTextAsync(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var daemon = new DaemonProcess(CliProcess.Start(["run", "--config", configPath], environment), $"http://127.0.0.1:{port}");
        await daemon.WaitUntilAsync(async () => (await daemon.TryGetAsync("/healthz")) is not null, "answering /healthz");
        return daemon;
    }

    /// <summary>Starts the daemon on a config file used as it is, with <c>listen</c> and the start-up jitter overridden by environment variables.</summary>
    public static async Task<DaemonProcess> StartUnchangedAsync(string configPath)
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["REPLICASYNC__listen"] = $"http://127.0.0.1:{port}",
            ["REPLICASYNC__startupJitterSeconds"] = "0",
        };
        var daemon = new DaemonProcess(CliProcess.Start(["run", "--config", configPath], environment), $"http://127.0.0.1:{port}");
        await daemon.WaitUntilAsync(async () => (await daemon.TryGetAsync("/healthz")) is not null, "answering /healthz");
        return daemon;
    }

    public async Task<JsonNode> StatusAsync() => JsonNode.Parse(await Http.GetStringAsync("/status"))!;

    public async Task<JsonNode> TableAsync(string table) =>
        (await StatusAsync())["tables"]!.AsArray().Single(t => (string?)t!["name"] == table)!;

    /// <summary>Polls until a finished run has left the table's replica at <paramref name="version"/> or later (its metrics recorded).</summary>
    public Task WaitForReplicaVersionAsync(string table, long version) =>
        WaitUntilAsync(async () =>
        {
            var status = await TableAsync(table);
            return (long?)status["replicaVersion"] >= version && (string?)status["lastRun"]?["outcome"] == "succeeded";
        }, $"{table} at replica version {version}");

    /// <summary>Polls <paramref name="condition"/> until true; fails the test with the daemon's log after <paramref name="limit"/> (default <see cref="WaitLimit"/>).</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < (limit ?? WaitLimit))
        {
            if (_process.HasExited)
                Assert.Fail($"the daemon exited while waiting for {what}:\n{await _process.WaitForExitAsync(WaitLimit)}");
            if (await condition())
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"no {what} within {(limit ?? WaitLimit).TotalSeconds} s. Daemon output:\n{string.Join("\n", Output)}");
    }

    /// <summary>Sends SIGTERM (as a container runtime would) and waits for the daemon to exit.</summary>
    public async Task<CliResult> TerminateAsync()
    {
        CliProcess.SendTerm(_process.Id);
        return await _process.WaitForExitAsync(WaitLimit);
    }

    /// <summary>Kills the daemon at once (SIGKILL, as <c>kill -9</c>): no shutdown, no last words.</summary>
    public Task<CliResult> KillAsync() => _process.KillAsync();

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
    }

    private async Task<string?> TryGetAsync(string path)
    {
        try
        {
            return await Http.GetStringAsync(path);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
