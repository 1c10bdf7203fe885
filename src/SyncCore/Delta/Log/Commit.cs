namespace ReplicaSync.Delta;

/// <summary>One commit file: its version, commit time in ms and its actions in file order.</summary>
public sealed record Commit(long Version, long Timestamp, IReadOnlyList<DeltaAction> Actions)
{
    /// <summary>
    /// The commit's time: in-commit timestamp if present, else commitInfo.timestamp, else the file's
    /// modification time (what readers fall back to without ICT).
    /// </summary>
    public static long TimestampOf(IReadOnlyList<DeltaAction> actions, DateTimeOffset fileTime)
    {
        foreach (var action in actions)
        {
            if (action is CommitInfo info)
                return info.InCommitTimestamp ?? info.Timestamp ?? fileTime.ToUnixTimeMilliseconds();
        }
        return fileTime.ToUnixTimeMilliseconds();
    }
}
