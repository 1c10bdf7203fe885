namespace ReplicaSync.Delta;

/// <summary>The <c>domainMetadata</c> action: named configuration; newest per domain wins, removed hides it.</summary>
public sealed class DomainMetadata : DeltaAction
{
    public string Domain { get; set; } = "";
    public string Configuration { get; set; } = "";
    public bool Removed { get; set; }
}
