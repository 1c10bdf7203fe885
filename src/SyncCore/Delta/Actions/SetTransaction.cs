namespace ReplicaSync.Delta;

/// <summary>The <c>txn</c> action: an application's progress marker; readers keep the newest per app id.</summary>
public sealed class SetTransaction : DeltaAction
{
    public string AppId { get; set; } = "";
    public long Version { get; set; }
    public long? LastUpdated { get; set; }
}
