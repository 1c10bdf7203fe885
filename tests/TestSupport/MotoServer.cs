using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace ReplicaSync.TestSupport;

/// <summary>
/// A <c>moto_server</c> S3 emulator on 127.0.0.1, started as a child process on a free port for a test collection
/// and killed on dispose. Without moto_server on PATH the tests fail with a message saying so, never skip.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    /// <summary>moto accepts any credentials (it does not verify signatures); these are recognisable in leak checks.</summary>
    public const string AccessKey = "AKIAMOTOTESTKEY";
    public const string SecretKey = "moto-secret-must-never-leak";
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(30);
    private readonly Queue<string> _output = new();
    private readonly bool _checkCredentials;
    private Process? _process;

    public MotoServer()
    {
    }

    private MotoServer(bool checkCredentials) => _checkCredentials = checkCredentials;

    /// <summary>
    /// A moto that checks access keys (<c>INITIAL_NO_AUTH_ACTION_COUNT=0</c>) and knows none, so every request gets
    /// 403 InvalidAccessKeyId as AWS gives an unknown key. It still verifies no signatures. Call InitializeAsync.
    /// </summary>
    public static MotoServer CheckingCredentials() => new(checkCredentials: true);

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var executable = FindOnPath("moto_server")
            ?? throw new InvalidOperationException("moto_server is not on PATH: the S3 tests need it (pip install 'moto[server]').");
        var port = FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo(executable, ["-H", "127.0.0.1", "-p", port.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (_checkCredentials)
            start.Environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "0";
        _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start");
        // moto logs every request; the pipes must be drained or it blocks. The tail explains a failed start.
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
    }

    /// <summary>A plain SDK client for the emulator, independent of the store under test.</summary>
    public AmazonS3Client CreateClient() => new(new BasicAWSCredentials(AccessKey, SecretKey), ClientConfig());

    /// <summary>The SDK settings an emulator needs: its endpoint, path-style URLs and a fixed signing region.</summary>
    public AmazonS3Config ClientConfig() => new() { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" };

    /// <summary>Creates a fresh, empty bucket with a unique name.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var bucket = $"test-{Guid.NewGuid():N}";
        using var client = CreateClient();
        await client.PutBucketAsync(bucket);
        return bucket;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupLimit)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode}: {Tail()}");
            try
            {
                using var response = await http.GetAsync(Endpoint + "/");
                // A credential-checking moto fails the unauthenticated probe (500), but it answered.
                if (response.StatusCode == HttpStatusCode.OK || _checkCredentials)
                    return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"moto_server did not answer on {Endpoint} within {StartupLimit.TotalSeconds} s: {Tail()}");
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
