namespace ReplicaSync.SharingServer;

/// <summary>Faults to inject from the start (a test hook); off when absent.</summary>
public sealed class FaultConfig
{
    public List<FaultRule> Rules { get; set; } = [];
}
