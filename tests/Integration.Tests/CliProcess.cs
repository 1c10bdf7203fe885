using System.Diagnostics;
using System.Text;

namespace ReplicaSync.Integration.Tests;

/// <summary>What a finished <c>replicasync</c> run printed and returned.</summary>
internal sealed record CliResult(int ExitCode, IReadOnlyList<string> StdoutLines, IReadOnlyList<string> StderrLines)
{
    public string Stdout => string.Join("\n", StdoutLines);
    public string Stderr => string.Join("\n", StderrLines);

    /// <summary>Everything the process printed, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// The real <c>replicasync</c> executable as a child process with redirected output: the shipped native binary
/// named by <c>REPLICASYNC_EXECUTABLE</c> (scripts/test.sh publishes it first), else <c>dotnet replicasync.dll</c>
/// next to the test assembly. Every wait is bounded: a process still running after its timeout is killed
/// with its whole tree and the test fails, so a hang never blocks CI.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly Lock _gate = new();
    private readonly List<(Func<IReadOnlyList<string>, bool> Condition, TaskCompletionSource Seen)> _waiters = [];
    private readonly string _commandLine;

    private CliProcess(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var (program, prefix) = Launcher();
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in prefix)
            start.ArgumentList.Add(arg);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        _commandLine = "replicasync " + string.Join(' ', args);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(_stdout, e.Data, matchWaiters: true);
        _process.ErrorDataReceived += (_, e) => OnLine(_stderr, e.Data, matchWaiters: false);
    }

    /// <summary>The process id, for diagnostics.</summary>
    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Stdout lines printed so far.</summary>
    public IReadOnlyList<string> StdoutSoFar
    {
        get { lock (_gate) return [.. _stdout]; }
    }

    /// <summary>Runs <c>replicasync <paramref name="args"/></c> to completion (bounded by <see cref="DefaultTimeout"/>).</summary>
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, DefaultTimeout);

    /// <summary>Runs <c>replicasync <paramref name="args"/></c> to completion with extra environment variables (store endpoints, credentials).</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyList<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(args, environment);
        return await process.WaitForExitAsync(timeout);
    }

    /// <summary>Starts <c>replicasync <paramref name="args"/></c> and returns at once; dispose kills it if still running.</summary>
    public static CliProcess Start(params string[] args) => Start((IReadOnlyList<string>)args);

    public static CliProcess Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var cli = new CliProcess(args, environment);
        cli._process.Start();
        cli._process.StandardInput.Close(); // nothing to read: an accidental prompt sees EOF instead of hanging
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>
    /// Completes when a stdout line matching <paramref name="match"/> has been printed (true), or when the process
    /// exits or <paramref name="timeout"/> passes without one (false). Never throws on timing.
    /// </summary>
    public Task<bool> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout) =>
        WaitForStdoutAsync(lines => lines.Any(match), timeout);

    /// <summary>
    /// Completes when the stdout lines printed so far satisfy <paramref name="condition"/> (true), or when the
    /// process exits or <paramref name="timeout"/> passes first (false). Never throws on timing.
    /// </summary>
    public async Task<bool> WaitForStdoutAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_stdout))
                return true;
            _waiters.Add((condition, seen));
        }
        var finished = await Task.WhenAny(seen.Task, _process.WaitForExitAsync(), Task.Delay(timeout));
        lock (_gate)
        {
            _waiters.RemoveAll(w => w.Seen == seen);
            return finished == seen.Task || condition(_stdout);
        }
    }

    /// <summary>Kills the process and everything it started, then waits (bounded) for it and its output to end.</summary>
    public async Task<CliResult> KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        return await WaitForExitAsync(DefaultTimeout);
    }

    /// <summary>Waits for the process to exit; past <paramref name="timeout"/> it is killed and the test fails with its output.</summary>
    public async Task<CliResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            // With asynchronous reading this also waits for both output streams to reach EOF.
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.WaitForExit(10_000);
            Assert.Fail($"`{_commandLine}` did not exit within {timeout.TotalSeconds:0} s and was killed.\n{Snapshot(-1)}");
        }
        return Snapshot(_process.ExitCode);
    }

    /// <summary>Sends SIGTERM (as a container runtime or an operator would) to a process.</summary>
    public static void SendTerm(int pid) => Assert.Equal(0, Kill(pid, SigTerm));

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
            // never started or already gone
        }
        _process.Dispose();
    }

    private CliResult Snapshot(int exitCode)
    {
        lock (_gate)
            return new CliResult(exitCode, [.. _stdout], [.. _stderr]);
    }

    private void OnLine(List<string> lines, string? line, bool matchWaiters)
    {
        if (line is null)
            return;
        lock (_gate)
        {
            lines.Add(line);
            if (!matchWaiters)
                return;
            foreach (var (condition, seen) in _waiters)
            {
                if (condition(lines))
                    seen.TrySetResult();
            }
        }
    }

    // `dotnet test` tells child processes which host runs it; fall back to the one on PATH.
    /// <summary>The published native executable named by <c>REPLICASYNC_EXECUTABLE</c>, when set; else the build's own.</summary>
    public static string? PublishedExecutable =>
        Environment.GetEnvironmentVariable("REPLICASYNC_EXECUTABLE") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    private static (string Program, string[] Prefix) Launcher()
    {
        if (PublishedExecutable is { } published)
            return File.Exists(published) ? (published, [])
                : throw new FileNotFoundException("REPLICASYNC_EXECUTABLE names no file", published);
        var dll = Path.Combine(AppContext.BaseDirectory, "replicasync.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException("replicasync.dll is not next to the test assembly; does Integration.Tests reference SyncDaemon?", dll);
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        return (host, [dll]);
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
