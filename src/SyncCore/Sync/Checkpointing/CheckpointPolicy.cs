namespace ReplicaSync.Sync.Checkpointing;

/// <summary>
/// When a run checkpoints its replica: at most one checkpoint per <see cref="Every"/> commits, during a run at most one
/// per <see cref="Interval"/> (so a fast catch-up spends its time on commits, not checkpoints), and one at the end of a
/// run, so a reader replays fewer than <see cref="Every"/> commits after it. Checkpoints are written in the background
/// while commits go on.
/// </summary>
public sealed record CheckpointPolicy
{
    /// <summary>Fewest commits between two checkpoints; 0 turns checkpoints off.</summary>
    public int Every { get; init; } = 10;

    /// <summary>
    /// Least time between two checkpoints of one run (the first counts from the run's start). Bounds the log a reader
    /// replays after a crash to what the run committed in this time; the end-of-run checkpoint does not wait for it.
    /// </summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>No checkpoints (the log then grows without any).</summary>
    public static CheckpointPolicy Never { get; } = new() { Every = 0 };

    /// <summary>
    /// Whether a checkpoint is due, with <paramref name="commitsSince"/> commits after the newest checkpoint and
    /// <paramref name="elapsed"/> since the run's previous one (or its start); <paramref name="runEnded"/> at the end.
    /// </summary>
    public bool IsDue(long commitsSince, TimeSpan elapsed, bool runEnded) =>
        Every > 0 && commitsSince >= Every && (runEnded || elapsed >= Interval);
}
