namespace ReplicaSync.Daemon.Init;

/// <summary>One table entry <c>replicasync init</c> writes: its key in the config, its source address and its target.</summary>
public sealed record InitTable(string Key, string Source, string Target);
