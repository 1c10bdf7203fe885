namespace ReplicaSync.Sync;

/// <summary>
/// Receives what one table's sync run does as it happens: metrics, progress bars and status pages listen here.
/// Every method has a no-op default, so an observer implements only what it needs. Calls may come from several
/// copy workers at once; implementations must be thread-safe and cheap.
/// </summary>
public interface ISyncObserver
{
    /// <summary>A new replica's start is chosen: what it will copy, told before any file is copied.</summary>
    void StartPlanned(StartCost cost) { }

    /// <summary>A provider version is planned: how many files and bytes it will copy (before reuse is known).</summary>
    void VersionPlanned(long version, int files, long bytes) { }

    /// <summary>Bytes arrived from the provider and went to the target (reported in chunks while streaming).</summary>
    void BytesCopied(long bytes) { }

    /// <summary>A file (or deletion vector) is durable in the target; reused is true when an earlier run had left it.</summary>
    void FileCopied(long bytes, bool reused) { }

    /// <summary>A failed request is being retried; <paramref name="reason"/> is short and secret-free ("503", "reset").</summary>
    void Retried(string reason) { }

    /// <summary>Pre-signed URLs were re-issued by the provider because they had expired or were about to.</summary>
    void UrlsRefreshed(int files) { }

    /// <summary>A replica commit (or the bootstrap checkpoint) was written.</summary>
    void VersionCommitted(VersionReport report) { }
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullSyncObserver : ISyncObserver
{
    public static readonly NullSyncObserver Instance = new();
}
