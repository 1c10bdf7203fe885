using System.Diagnostics;

namespace ReplicaSync.TestSupport;

/// <summary>Finds and runs external tools the tests use (promtool, prometheus).</summary>
public static class Executables
{
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs a tool with <paramref name="stdin"/> as input; returns its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Run(string name, IEnumerable<string> arguments, string stdin)
    {
        var executable = Find(name) ?? throw new InvalidOperationException($"{name} is not on PATH (scripts/test.sh installs it)");
        var start = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} did not finish within a minute");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
