using ReplicaSync.Daemon.Status;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Telemetry;

/// <summary>
/// Observes one table run: counts into the metrics, keeps the status store current per commit, and forwards to an
/// optional extra observer (progress bars).
/// </summary>
public sealed class RunObserver(string table, SyncMetrics metrics, StatusStore status, ISyncObserver? next = null)
    : ISyncObserver
{
    private readonly KeyValuePair<string, object?> _tag = SyncMetrics.Table(table);
    private readonly ISyncObserver _next = next ?? NullSyncObserver.Instance;

    public void VersionPlanned(long version, int files, long bytes) => _next.VersionPlanned(version, files, bytes);

    /// <summary>Streamed chunks only move progress bars; metrics and status count a file's bytes once it is durable, so a retried download is not counted twice.</summary>
    public void BytesCopied(long bytes) => _next.BytesCopied(bytes);

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
        _next.FileCopied(bytes, reused);
    }

    public void Retried(string reason)
    {
        metrics.Retries.Add(1, _tag, new KeyValuePair<string, object?>("reason", reason));
        _next.Retried(reason);
    }

    public void UrlsRefreshed(int files)
    {
        metrics.UrlRefreshes.Add(files, _tag);
        _next.UrlsRefreshed(files);
    }

    public void VersionCommitted(VersionReport report)
    {
        metrics.Commits.Add(1, _tag);
        status.Update(table, s => s with
        {
            ReplicaVersion = report.Version,
            CommitsWritten = s.CommitsWritten + 1,
            LastRun = s.LastRun! with { CommitsWritten = s.LastRun.CommitsWritten + 1 },
        });
        _next.VersionCommitted(report);
    }
}
