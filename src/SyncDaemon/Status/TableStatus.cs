namespace ReplicaSync.Daemon.Status;

/// <summary>One table's state as <c>/status</c> reports it (a snapshot; the store keeps the live one).</summary>
public sealed record TableStatus
{
    public required string Name { get; init; }
    public required string Source { get; init; }
    public required string Target { get; init; }
    public long? ProviderVersion { get; init; }
    public long? ReplicaVersion { get; init; }
    public long? VersionsBehind { get; init; }
    /// <summary>Which versions the replica holds: "full history from 0", "from 12 (snapshot), then every version", "snapshot steps at 12, 19, 40".</summary>
    public string? VersionsHeld { get; init; }
    /// <summary>Seconds since the replica was last confirmed at the provider's latest version (null before that).</summary>
    public double? SecondsBehind { get; init; }
    public bool Running { get; init; }
    /// <summary>The node running the table now, or the node that ran it last (null before any run).</summary>
    public string? Node { get; init; }
    /// <summary>When the replica was last confirmed at the provider's latest version.</summary>
    public DateTimeOffset? CaughtUpAt { get; init; }
    public DateTimeOffset? NextFireTime { get; init; }
    public DateTimeOffset? LastSuccess { get; init; }
    public RunStatus? LastRun { get; init; }
    /// <summary>Totals since the daemon started.</summary>
    public long FilesCopied { get; init; }
    public long BytesCopied { get; init; }
    public long CommitsWritten { get; init; }
}

/// <summary>One run of one table: when, how it ended, and what it copied.</summary>
public sealed record RunStatus
{
    public required DateTimeOffset Start { get; init; }
    public DateTimeOffset? End { get; init; }
    /// <summary>running, succeeded, behind (stopped before the provider's version), failed or cancelled.</summary>
    public required string Outcome { get; init; }
    public string? Error { get; init; }
    public long FilesCopied { get; init; }
    public long BytesCopied { get; init; }
    public long CommitsWritten { get; init; }
}
