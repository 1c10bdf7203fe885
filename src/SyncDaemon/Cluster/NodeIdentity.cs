namespace ReplicaSync.Daemon.Cluster;

/// <summary>
/// This daemon's node id: its Quartz instance id in a cluster, the node /status names, and <c>service.instance.id</c> on
/// its metrics. Made up at start (host, process, a random suffix), so nodes need no configuration to be told apart and
/// a restarted node is a new node: the cluster recovers the old one's work rather than waiting for it to return.
/// </summary>
public sealed record NodeIdentity(string Id)
{
    public static NodeIdentity Create() =>
        new($"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}");
}
