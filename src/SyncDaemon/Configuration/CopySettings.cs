using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Configuration;

/// <summary>The copy knobs of every table run (see <see cref="SyncOptions"/>); the bandwidth cap is shared by all runs together.</summary>
public sealed record CopySettings
{
    /// <summary>Files in flight at a run's start; the copy adds more, up to <see cref="MaxConcurrentFiles"/>, while latency dominates.</summary>
    public int ConcurrentFilesAtStart { get; init; } = new SyncOptions().ConcurrentFilesAtStart;
    public int MaxConcurrentFiles { get; init; } = new SyncOptions().MaxConcurrentFiles;
    public int StreamsPerFile { get; init; } = new SyncOptions().StreamsPerFile;
    public long PartSize { get; init; } = new SyncOptions().PartSize;
    public long MemoryCeiling { get; init; } = new SyncOptions().MemoryCeiling;
    /// <summary>Files per page of the provider's snapshot and change-feed queries (maxFiles).</summary>
    public int PageSize { get; init; } = SyncOptions.DefaultPageSize;
    /// <summary>File lines one change-feed request should hold (<see cref="SyncOptions.FilesPerRequest"/>).</summary>
    public int FilesPerRequest { get; init; } = new SyncOptions().FilesPerRequest;
    /// <summary>Bytes per second read from providers by all runs of the daemon together; null for no cap.</summary>
    public long? BandwidthBytesPerSecond { get; init; }
    /// <summary>Most bytes one table run may copy; it stops at a version boundary and the next run goes on.</summary>
    public long? ByteBudgetPerRun { get; init; }

    /// <summary>The run options for one table, sharing <paramref name="bandwidth"/> with the daemon's other runs.</summary>
    public SyncOptions Apply(SyncOptions options, Sync.Copy.BandwidthLimiter? bandwidth) => options with
    {
        ConcurrentFilesAtStart = ConcurrentFilesAtStart,
        MaxConcurrentFiles = MaxConcurrentFiles,
        StreamsPerFile = StreamsPerFile,
        PartSize = PartSize,
        MemoryCeiling = MemoryCeiling,
        PageSize = PageSize,
        FilesPerRequest = FilesPerRequest,
        Bandwidth = bandwidth,
        ByteBudget = ByteBudgetPerRun,
    };
}
