using System.Diagnostics;

namespace ReplicaSync.TestSupport;

/// <summary>Finds and runs the external tools the tests use (promtool, node, python3, bash scripts).</summary>
public static class Executables
{
    private static readonly TimeSpan DefaultLimit = TimeSpan.FromMinutes(1);

    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs a tool to completion (killing its process tree after <paramref name="timeout"/>, default a minute) with
    /// optional input, extra environment variables and working directory; returns its exit code and output.
    /// </summary>
    public static ToolRun Run(string name, IEnumerable<string> arguments, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var executable = Find(name) ?? throw new InvalidOperationException($"{name} is not on PATH (scripts/test.sh installs what the tests need)");
        var start = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardInput = stdin is not null, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
            start.Environment[variable] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var limit = timeout ?? DefaultLimit;
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} {string.Join(' ', start.ArgumentList)} did not finish within {limit}");
        }
        return new ToolRun(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>How a tool run ended: its exit code and what it printed.</summary>
public sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Everything it printed, standard output first.</summary>
    public string Output => Stdout + Stderr;

    public void Deconstruct(out int exitCode, out string output) => (exitCode, output) = (ExitCode, Output);
}
