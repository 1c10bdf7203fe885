using System.Diagnostics;
using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.Benchmarks;

/// <summary>
/// Measures what a replayed snapshot costs: managed bytes per live file (heap after a full GC, with and without
/// the snapshot) and the process's peak working set, for the generated 1,000,000-file log.
/// </summary>
public static class MemoryProbe
{
    public static void Run(int commits, int addsPerCommit)
    {
        var root = GeneratedLog.Ensure(commits, addsPerCommit);
        var log = new DeltaLog(new LocalObjectStore(root));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var snapshot = log.LoadSnapshotAsync(null, default).GetAwaiter().GetResult()!;
        var elapsed = watch.Elapsed;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perFile = (after - before) / (double)snapshot.Files.Count;
        Console.WriteLine($"live files: {snapshot.Files.Count:N0}; replay {elapsed.TotalSeconds:F2} s; " +
                          $"managed heap held by the snapshot: {(after - before) / 1048576.0:F1} MiB = {perFile:F0} bytes per live file; " +
                          $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        GC.KeepAlive(snapshot);
    }
}
