namespace ReplicaSync.Sync;

/// <summary>Knobs of a replication run.</summary>
public sealed record SyncOptions
{
    /// <summary>Provider versions asked for per change-feed request (bounds memory per request).</summary>
    public int VersionsPerRequest { get; init; } = 100;
    /// <summary>Files copied at the same time.</summary>
    public int MaxConcurrentFiles { get; init; } = 8;
    /// <summary>Retries of a failed file download (429, 5xx, resets, short bodies).</summary>
    public int MaxRetries { get; init; } = 4;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Write a checkpoint after every commit whose version is a multiple of this (0 = never).</summary>
    public int CheckpointInterval { get; init; } = 10;
    /// <summary>Where a new replica starts; ignored once the replica exists.</summary>
    public StartPoint From { get; init; } = StartPoint.Auto;
    /// <summary>
    /// Called after a version's files are durable and before its commit is written. Tests use it to stop a run at
    /// exactly that point, as a crash would.
    /// </summary>
    public Func<VersionPlan, CancellationToken, Task>? BeforeCommit { get; init; }
    /// <summary>Told what the run does as it happens (metrics, progress).</summary>
    public ISyncObserver Observer { get; init; } = NullSyncObserver.Instance;
}
