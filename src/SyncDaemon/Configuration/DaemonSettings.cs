namespace ReplicaSync.Daemon.Configuration;

/// <summary>The daemon's validated configuration: where it listens, how it schedules, and the tables it replicates.</summary>
public sealed record DaemonSettings
{
    public required string Listen { get; init; }
    /// <summary>Table runs at the same time across all tables (Quartz's thread pool size).</summary>
    public required int MaxConcurrentRuns { get; init; }
    /// <summary>How long in-flight runs may go on after SIGTERM before they are cancelled.</summary>
    public required TimeSpan ShutdownGrace { get; init; }
    /// <summary>Each table's first run is delayed by a random amount up to this, so 200 tables do not start at once.</summary>
    public required TimeSpan StartupJitter { get; init; }
    /// <summary>A fire time missed by more than this (all run slots busy, or the process paused) counts as a misfire.</summary>
    public required TimeSpan MisfireThreshold { get; init; }
    /// <summary>How runs copy files (shared by every table).</summary>
    public CopySettings Copy { get; init; } = new();
    /// <summary>When table runs checkpoint their replicas (shared by every table).</summary>
    public Sync.Checkpointing.CheckpointPolicy Checkpoints { get; init; } = new();
    /// <summary>OTLP collector for traces and metrics; null when not configured.</summary>
    public Uri? OtlpEndpoint { get; init; }
    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    public required string OtlpProtocol { get; init; }
    /// <summary>How often metrics are pushed to the collector.</summary>
    public required TimeSpan OtlpExportInterval { get; init; }
    /// <summary>The PostgreSQL-backed Quartz cluster this daemon is a node of; null runs the in-memory scheduler alone.</summary>
    public ClusterSettings? Cluster { get; init; }
    public required IReadOnlyList<TableSettings> Tables { get; init; }
    /// <summary>The replicas re-shared over Delta Sharing; null when the <c>serve</c> section is absent.</summary>
    public ServeSettings? Serve { get; init; }
}
