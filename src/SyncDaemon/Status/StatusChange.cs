namespace ReplicaSync.Daemon.Status;

/// <summary>One table's state after a change: its revision in the store and when the change happened.</summary>
public sealed record StatusChange(TableStatus Status, long Revision, DateTimeOffset ChangedAt);
