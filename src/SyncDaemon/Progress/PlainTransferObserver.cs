using System.Diagnostics;
using ReplicaSync.Daemon.Cli;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Progress;

/// <summary>One line per committed version with its files, bytes and the run's rate so far; for logs and pipes.</summary>
internal sealed class PlainTransferObserver(TextWriter output, string table) : ISyncObserver
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _bytes;

    public void StartPlanned(StartCost cost) => output.WriteLine(StartCostLine.Describe(table, cost));

    public void BytesCopied(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void VersionCommitted(VersionReport report)
    {
        var bytes = Interlocked.Read(ref _bytes);
        var rate = bytes / Math.Max(_watch.Elapsed.TotalSeconds, 0.001);
        output.WriteLine($"{Describe(report)}; {Bytes.Format(bytes)} so far at {Bytes.Format((long)rate)}/s");
    }

    /// <summary>The start of every per-version line (here and <c>sync</c>'s): the version's files and what was copied.</summary>
    public static string Describe(VersionReport r) =>
        $"version {r.Version}: +{r.FilesAdded} -{r.FilesRemoved} files; copied {r.FilesCopied} ({Bytes.Format(r.BytesCopied)}), reused {r.FilesReused}";
}
