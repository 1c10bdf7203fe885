namespace ReplicaSync.Vacuum;

/// <summary>How a vacuum run chooses and deletes files.</summary>
public sealed record VacuumOptions
{
    /// <summary>Keep removed files this long; null uses the table's <c>delta.deletedFileRetentionDuration</c> (default 7 days).</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>
    /// Files no commit references are deleted only when last modified longer ago than this. It must exceed the
    /// time a writer needs between writing a file and committing it (a sync run copying one version).
    /// </summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Deletes in flight at once.</summary>
    public int MaxParallelDeletes { get; init; } = 16;
}
