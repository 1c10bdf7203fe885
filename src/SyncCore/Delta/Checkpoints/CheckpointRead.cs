namespace ReplicaSync.Delta;

/// <summary>Which actions and fields a checkpoint read decodes: columns not asked for are never decompressed.</summary>
public enum CheckpointRead
{
    /// <summary>Every action, file actions without stats and tags (what a <see cref="Snapshot"/> keeps).</summary>
    Replay,
    /// <summary>Only the add actions, complete (stats, tags, row tracking).</summary>
    Adds,
    /// <summary>Only protocol and metaData.</summary>
    ProtocolAndMetadata,
}
