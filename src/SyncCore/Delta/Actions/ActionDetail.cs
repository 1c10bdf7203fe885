namespace ReplicaSync.Delta;

/// <summary>How much of each action to parse.</summary>
public enum ActionDetail
{
    /// <summary>Every field, unknown ones included, so the action can be mirrored or written back.</summary>
    Full,

    /// <summary>What log replay keeps: adds and removes without stats, tags or unknown fields.</summary>
    Replay,
}
