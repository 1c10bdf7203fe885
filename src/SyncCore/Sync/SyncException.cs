namespace ReplicaSync.Sync;

/// <summary>A replication run cannot continue; the message says why (never a secret).</summary>
public sealed class SyncException(string message, Exception? inner = null) : Exception(message, inner);
