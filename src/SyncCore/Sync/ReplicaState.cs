using ReplicaSync.Delta;

namespace ReplicaSync.Sync;

/// <summary>
/// The replica as the engine tracks it during a run: one in-memory <see cref="Snapshot"/> that each committed
/// version is applied to, plus an index from file name (derived from the provider's file id) to the live file.
/// </summary>
public sealed class ReplicaState
{
    private readonly Dictionary<string, FileKey> _byName = new(StringComparer.Ordinal);

    public ReplicaState(Snapshot? snapshot)
    {
        Snapshot = snapshot ?? new Snapshot();
        foreach (var key in Snapshot.Files.Keys)
            _byName[ReplicaPaths.NameOf(key.Path)] = key;
    }

    public Snapshot Snapshot { get; }
    public long Version => Snapshot.Version;

    /// <summary>The live file whose name is <paramref name="fileName"/>, if any.</summary>
    public LiveFile? FindLive(string fileName) =>
        _byName.TryGetValue(fileName, out var key) ? Snapshot.Files[key] : null;

    /// <summary>
    /// Applies a commit this run has just written: the next version, or with <paramref name="afterGap"/> a snapshot
    /// step that skips the versions the provider did not share.
    /// </summary>
    public void Apply(Commit commit, bool afterGap = false)
    {
        foreach (var action in commit.Actions)
        {
            if (action is RemoveFile remove)
                _byName.Remove(ReplicaPaths.NameOf(remove.Path));
        }
        if (afterGap)
            Snapshot.ApplyAfterGap(commit);
        else
            Snapshot.Apply(commit);
        foreach (var action in commit.Actions)
        {
            if (action is AddFile add)
                _byName[ReplicaPaths.NameOf(add.Path)] = add.Key;
        }
    }
}
