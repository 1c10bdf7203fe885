using ReplicaSync.Sharing;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Configuration;

/// <summary>One replicated table: its provider address, replica target and schedule (a cron expression or an interval).</summary>
public sealed record TableSettings
{
    public required string Name { get; init; }
    public required TableAddress Source { get; init; }
    public required string Target { get; init; }
    /// <summary>A Quartz cron expression (seconds first); null when <see cref="Interval"/> is set.</summary>
    public string? Cron { get; init; }
    public TimeSpan? Interval { get; init; }
    public required StartPoint From { get; init; }
    public required MisfirePolicy Misfire { get; init; }
}

/// <summary>What a table's schedule does with fire times it missed.</summary>
public enum MisfirePolicy
{
    /// <summary>Run once as soon as possible, however many fire times were missed (a catch-up run covers them all).</summary>
    RunOnce,
    /// <summary>Wait for the next scheduled fire time.</summary>
    Skip,
}
