namespace ReplicaSync.Delta;

/// <summary>A complete classic checkpoint: its version and the store keys of its parts (one for a single-file checkpoint).</summary>
public sealed record CheckpointInfo(long Version, IReadOnlyList<string> Parts);
