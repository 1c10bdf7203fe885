using ReplicaSync.SharingServer;

namespace ReplicaSync.Daemon.Configuration;

/// <summary>
/// The <c>serve</c> section: the daemon re-shares some of its replicas over Delta Sharing, on its own listen address,
/// to the configured recipients, so one container both replicates and serves.
/// </summary>
public sealed record ServeSettings
{
    /// <summary>Where the sharing server listens (separate from the operator endpoints' <c>listen</c>).</summary>
    public required string Listen { get; init; }

    /// <summary>The validated server configuration: each exposed replica's target as a table location.</summary>
    public required SharingServerConfig Server { get; init; }
}
