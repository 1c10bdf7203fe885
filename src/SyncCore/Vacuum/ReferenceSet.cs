using ReplicaSync.Delta;

namespace ReplicaSync.Vacuum;

/// <summary>
/// The storage keys the log still needs (protected), the keys of files removed longer ago than the retention
/// (expired), each with its deletion vector file, and the change data files of versions older than the retention.
/// </summary>
/// <remarks>
/// Built from the latest snapshot (live files + tombstones) plus the commit files present. That is enough even once
/// the log starts at a checkpoint and older commits are gone: every version a reader may still open lies after the
/// retention cutoff, a file live at such a version but not now was removed after it, and a checkpoint keeps every
/// remove younger than the retention as a tombstone. A tombstone a checkpoint dropped was already expired under the
/// table's retention (a longer requested retention cannot bring such files back into view). An add
/// in a commit present whose key the snapshot knows neither as live nor as tombstone therefore had its remove
/// dropped; its removal time is unknown, so it stays protected until its commit is cleaned up too. A change data
/// file is like a removed file whose removal time is its commit's: a version within the retention keeps it.
/// </remarks>
internal sealed class ReferenceSet
{
    private readonly HashSet<string> _protected = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expired = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expiredChangeData = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _absoluteExpired = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _absoluteProtected = new(StringComparer.Ordinal);

    private ReferenceSet()
    {
    }

    /// <summary>Keys no deletion may touch.</summary>
    public IReadOnlySet<string> Protected => _protected;

    /// <summary>Keys of expired tombstones (and their DV files) that no protected reference shares.</summary>
    public IReadOnlySet<string> Expired => _expired;

    /// <summary>Keys of change data files of versions older than the retention that no protected reference shares.</summary>
    public IReadOnlySet<string> ExpiredChangeData => _expiredChangeData;

    /// <summary>Absolute paths of expired tombstones: reported, never deleted.</summary>
    public IReadOnlyCollection<string> AbsoluteExpired => _absoluteExpired;

    /// <summary>Absolute paths the log still needs; no listed key can be proved to differ from them.</summary>
    public IReadOnlyCollection<string> AbsoluteProtected => _absoluteProtected;

    /// <summary>Classifies every reference in <paramref name="facts"/>; a tombstone is expired when its deletionTimestamp is before <paramref name="cutoffMs"/>.</summary>
    public static ReferenceSet Build(TableFacts facts, long cutoffMs)
    {
        var set = new ReferenceSet();
        foreach (var live in facts.LiveFiles.Values)
            set.Protect(live.Path, live.DeletionVector);
        foreach (var tombstone in facts.Tombstones.Values)
        {
            // A remove without deletionTimestamp has an unknown age: keep its file rather than guess.
            if (tombstone.DeletionTimestamp is { } deleted && deleted < cutoffMs)
                set.Expire(tombstone.Path, tombstone.DeletionVector);
            else
                set.Protect(tombstone.Path, tombstone.DeletionVector);
        }
        foreach (var add in facts.CommitAdds)
        {
            if (!facts.LiveFiles.ContainsKey(add.Key) && !facts.Tombstones.ContainsKey(add.Key))
                set.Protect(add.Path, add.DeletionVector);
        }
        foreach (var change in facts.CommitChangeFiles)
        {
            if (change.CommitTimestamp < cutoffMs)
                Add(change.File.Path, null, set._expiredChangeData, set._absoluteExpired);
            else
                set.Protect(change.File.Path, null);
        }
        set._expired.ExceptWith(set._protected);
        set._expiredChangeData.ExceptWith(set._protected);
        return set;
    }

    private void Protect(string logPath, DeletionVectorDescriptor? dv) => Add(logPath, dv, _protected, _absoluteProtected);

    private void Expire(string logPath, DeletionVectorDescriptor? dv) => Add(logPath, dv, _expired, _absoluteExpired);

    private static void Add(string logPath, DeletionVectorDescriptor? dv, HashSet<string> keys, SortedSet<string> absolute)
    {
        if (VacuumPaths.DataKey(logPath) is { } key)
            keys.Add(key);
        else
            absolute.Add(logPath);
        var (dvKey, dvAbsolute) = VacuumPaths.DeletionVectorFile(dv);
        if (dvKey is not null)
            keys.Add(dvKey);
        if (dvAbsolute is not null)
            absolute.Add(dvAbsolute);
    }
}
