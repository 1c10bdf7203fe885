using BenchmarkDotNet.Running;

namespace ReplicaSync.Benchmarks;

/// <summary>
/// Runs the benchmarks chosen on the command line (BenchmarkDotNet switcher), or <c>memory</c> for the
/// bytes-per-live-file probe.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["memory", ..])
        {
            MemoryProbe.Run(10_000, 100);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
