namespace ReplicaSync.Sync;

/// <summary>Knobs of a replication run.</summary>
public sealed record SyncOptions
{
    /// <summary>Most provider versions asked for per change-feed request (see <see cref="FilesPerRequest"/>).</summary>
    public int VersionsPerRequest { get; init; } = 100;
    /// <summary>
    /// File lines a change-feed request should hold, which bounds a run's memory: versions per request shrink to fit it
    /// (never below one version) and grow back while they fit (<see cref="FeedWindows"/>).
    /// </summary>
    public int FilesPerRequest { get; init; } = 20_000;
    /// <summary>
    /// Files per page of a snapshot or change-feed query (<c>maxFiles</c>); pages are followed by their
    /// <c>nextPageToken</c>, so a snapshot streams into the copy instead of arriving whole.
    /// </summary>
    public int PageSize { get; init; } = DefaultPageSize;
    /// <summary>The default <see cref="PageSize"/>.</summary>
    public const int DefaultPageSize = 10_000;
    /// <summary>
    /// Files copied at the same time when a run starts. While the wait for each file's first byte outweighs the time
    /// its bytes take (a distant provider), the copy adds files in flight as long as that raises its throughput.
    /// </summary>
    public int ConcurrentFilesAtStart { get; init; } = 8;
    /// <summary>Most files copied at the same time (set it equal to <see cref="ConcurrentFilesAtStart"/> for a fixed count).</summary>
    public int MaxConcurrentFiles { get; init; } = 64;
    /// <summary>Parallel ranged reads of one large file (a file of at least two parts); 1 turns them off.</summary>
    public int StreamsPerFile { get; init; } = 4;
    /// <summary>Bytes per ranged read and per target part of a large file (raised to the store's minimum part size).</summary>
    public long PartSize { get; init; } = 16L << 20;
    /// <summary>
    /// Bytes the copy may hold in part buffers at once (stores such as S3 buffer a whole part): bounds the parts in
    /// flight across all files to MemoryCeiling / PartSize (and to MaxConcurrentFiles).
    /// </summary>
    public long MemoryCeiling { get; init; } = 256L << 20;
    /// <summary>Versions whose files may be copied ahead of the version being committed (commits stay in order).</summary>
    public int VersionsAhead { get; init; } = 4;
    /// <summary>Retries of a failed request (429, 5xx, resets), and resumes of a broken read that made no progress.</summary>
    public int MaxRetries { get; init; } = 4;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>A response whose headers or next bytes take longer than this counts as a broken connection.</summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// A pre-signed URL is re-issued before a request when it expires within this margin (at most half its
    /// lifetime, so short-lived URLs are still used).
    /// </summary>
    public TimeSpan UrlRefreshMargin { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// Caps the bytes per second read from the provider by all copy streams together; null for none. One limiter
    /// may be shared by several runs (a daemon's tables) to cap them together.
    /// </summary>
    public Copy.BandwidthLimiter? Bandwidth { get; init; }
    /// <summary>
    /// Most bytes a run may copy; the run stops before the first version that could exceed it, committing only
    /// complete versions. Null for no budget.
    /// </summary>
    public long? ByteBudget { get; init; }
    /// <summary>When a run checkpoints the replica (written in the background, behind the commits).</summary>
    public Checkpointing.CheckpointPolicy Checkpoints { get; init; } = new();
    /// <summary>Where a new replica starts; ignored once the replica exists.</summary>
    public StartPoint From { get; init; } = StartPoint.Auto;
    /// <summary>
    /// Called after a version's files are durable and before its commit is written. Tests use it to stop a run at
    /// exactly that point, as a crash would.
    /// </summary>
    public Func<VersionPlan, CancellationToken, Task>? BeforeCommit { get; init; }
    /// <summary>
    /// Asks the run to stop early but cleanly (a daemon shutting down): no further version is planned, the versions
    /// already being copied are finished and committed, and the report says why it stopped. Cancelling the run's own
    /// token instead abandons in-flight copies at once.
    /// </summary>
    public CancellationToken StopRequested { get; init; }
    /// <summary>Told what the run does as it happens (metrics, progress).</summary>
    public ISyncObserver Observer { get; init; } = NullSyncObserver.Instance;
}
