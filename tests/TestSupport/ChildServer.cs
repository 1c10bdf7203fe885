using System.Diagnostics;

namespace ReplicaSync.TestSupport;

/// <summary>
/// A server the tests run as a child process on 127.0.0.1 (moto, Azurite, the GCS emulator, Prometheus): its output
/// pipes are drained (a full pipe would block it) keeping the last lines to explain a failed start, it is ready once
/// a probe says so, and disposing kills its whole process tree.
/// </summary>
public sealed class ChildServer : IDisposable
{
    private readonly Queue<string> _output = new();
    private readonly Process _process;
    private readonly string _name;

    private ChildServer(string name, ProcessStartInfo start)
    {
        _name = name;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// Starts <paramref name="start"/> and polls <paramref name="isReady"/> (given a client with a short timeout; a
    /// connection error counts as not ready) until it says yes, failing with the output's tail after <paramref name="limit"/>.
    /// </summary>
    public static async Task<ChildServer> StartAsync(string name, ProcessStartInfo start, Func<HttpClient, Task<bool>> isReady, TimeSpan limit)
    {
        var server = new ChildServer(name, start);
        try
        {
            await server.WaitUntilReadyAsync(isReady, limit);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Finds an executable on PATH or fails saying what the tests need it for.</summary>
    public static string Require(string executable, string neededFor) =>
        Executables.Find(executable) ?? throw new InvalidOperationException($"{executable} is not on PATH: {neededFor}");

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
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(Func<HttpClient, Task<bool>> isReady, TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{_name} exited with code {_process.ExitCode}: {Tail()}");
            try
            {
                if (await isReady(http))
                    return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{_name} was not ready within {limit.TotalSeconds} s: {Tail()}");
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
}
