using ReplicaSync.Daemon.Status;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Telemetry;

/// <summary>
/// Observes one table run: counts into the metrics and keeps the status store current per commit. Streamed chunks
/// (<see cref="ISyncObserver.BytesCopied"/>) are not counted: a file's bytes count once it is durable, so a retried
/// download is not counted twice.
/// </summary>
public sealed partial class RunObserver(string table, SyncMetrics metrics, StatusStore status, ILogger log) : ISyncObserver
{
    private readonly KeyValuePair<string, object?> _tag = SyncMetrics.Table(table);

    public void FileCopied(long bytes, bool reused)
    {
        if (reused)
        {
            metrics.FilesReused.Add(1, _tag);
        }
        else
        {
            metrics.FilesCopied.Add(1, _tag);
            metrics.BytesCopied.Add(bytes, _tag);
            status.Update(table, s => s with
            {
                FilesCopied = s.FilesCopied + 1,
                BytesCopied = s.BytesCopied + bytes,
                LastRun = s.LastRun! with { FilesCopied = s.LastRun.FilesCopied + 1, BytesCopied = s.LastRun.BytesCopied + bytes },
            });
        }
    }

    public void StartPlanned(StartCost cost) => LogStartPlanned(log, table, cost.Start, cost.Files, cost.Bytes, cost.Versions);

    public void Retried(string reason) => metrics.Retries.Add(1, _tag, new KeyValuePair<string, object?>("reason", reason));

    public void UrlsRefreshed(int files) => metrics.UrlRefreshes.Add(files, _tag);

    public void VersionCommitted(VersionReport report)
    {
        metrics.Commits.Add(1, _tag);
        LogCommitted(log, table, report.Version, report.FilesCopied, report.BytesCopied);
        status.Update(table, s => s with
        {
            ReplicaVersion = report.Version,
            CommitsWritten = s.CommitsWritten + 1,
            LastRun = s.LastRun! with { CommitsWritten = s.LastRun.CommitsWritten + 1 },
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "committed: {Table} version {Version} ({Files} files, {Bytes} bytes copied)")]
    private static partial void LogCommitted(ILogger log, string table, long version, long files, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "new replica: {Table} starts with {Start}: will copy {Files} files, {Bytes} bytes over {Versions} versions")]
    private static partial void LogStartPlanned(ILogger log, string table, string start, long files, long bytes, long versions);
}
