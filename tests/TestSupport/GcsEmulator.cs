using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ReplicaSync.TestSupport;

/// <summary>
/// The Firebase Storage emulator (GCS JSON API) on 127.0.0.1, started through <c>tests/emulators/gcs-emulator.cjs</c>
/// on a free port for a test collection and killed on dispose; its blobs live in a temp directory removed then.
/// Without node or the emulator packages the tests fail with a message saying so, never skip.
/// </summary>
public sealed class GcsEmulator : IAsyncLifetime
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);
    private readonly Queue<string> _output = new();
    private readonly TempDirectory _blobs = new();
    private Process? _process;

    /// <summary>The JSON API root, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var node = FindOnPath("node") ?? throw new InvalidOperationException("node is not on PATH: the GCS tests need it to run the Firebase Storage emulator.");
        var folder = Path.Combine(TestPaths.RepoRoot, "tests", "emulators");
        var script = Path.Combine(folder, "gcs-emulator.cjs");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "firebase-tools")))
            throw new InvalidOperationException($"firebase-tools is not installed under {folder}: run `npm ci` there (scripts/test.sh does).");
        var port = FreePort();
        Endpoint = $"http://127.0.0.1:{port}/";
        var start = new ProcessStartInfo(node, [script, port.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder,
        };
        start.Environment["TMPDIR"] = _blobs.Path;
        _process = Process.Start(start) ?? throw new InvalidOperationException("the GCS emulator did not start");
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
    }

    /// <summary>A unique bucket name; the emulator creates buckets on first use (its bucket-create answers 501).</summary>
    public static string NewBucket() => $"test-{Guid.NewGuid():N}";

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _blobs.Dispose();
        return Task.CompletedTask;
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupLimit)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"the GCS emulator exited with code {_process.ExitCode}: {Tail()}");
            try
            {
                using var response = await http.GetAsync(Endpoint + "storage/v1/b/probe/o");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the GCS emulator did not answer on {Endpoint} within {StartupLimit.TotalSeconds} s: {Tail()}");
    }

    private void Remember(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 20)
                _output.Dequeue();
        }
    }

    private string Tail()
    {
        lock (_output)
            return string.Join(" | ", _output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
