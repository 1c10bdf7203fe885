using System.Diagnostics;
using ReplicaSync.Daemon.Cli;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Progress;

/// <summary>One line per committed version with its files, bytes and the run's rate so far; for logs and pipes.</summary>
internal sealed class PlainTransferObserver(TextWriter output) : ISyncObserver
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _bytes;

    public void BytesCopied(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void VersionCommitted(VersionReport report)
    {
        var bytes = Interlocked.Read(ref _bytes);
        var rate = bytes / Math.Max(_watch.Elapsed.TotalSeconds, 0.001);
        output.WriteLine($"version {report.Version}: +{report.FilesAdded} -{report.FilesRemoved} files; copied {report.FilesCopied} " +
                         $"({Bytes.Format(report.BytesCopied)}), reused {report.FilesReused}; {Bytes.Format(bytes)} so far at {Bytes.Format((long)rate)}/s");
    }
}
