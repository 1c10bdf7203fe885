namespace ReplicaSync.Delta;

/// <summary>The <c>cdc</c> action: a change-data file under <c>_change_data/</c>.</summary>
public sealed class CdcFile : DeltaAction
{
    public string Path { get; set; } = "";
    public Dictionary<string, string?> PartitionValues { get; set; } = [];
    public long Size { get; set; }
    public bool DataChange { get; set; }
    public Dictionary<string, string?>? Tags { get; set; }
}
