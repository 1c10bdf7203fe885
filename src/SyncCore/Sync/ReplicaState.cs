using ReplicaSync.Delta;

namespace ReplicaSync.Sync;

/// <summary>
/// The replica as the engine tracks it during a run: one in-memory <see cref="Snapshot"/> that each committed
/// version is applied to, whose live files are also found by file name (derived from the provider's file id).
/// </summary>
public sealed class ReplicaState(Snapshot? snapshot)
{
    public Snapshot Snapshot { get; } = snapshot ?? new Snapshot();
    public long Version => Snapshot.Version;

    /// <summary>The live file whose name is <paramref name="fileName"/>, if any.</summary>
    public LiveFile? FindLive(string fileName) => Snapshot.Files.FindByName(fileName);

    /// <summary>
    /// Applies a commit this run has just written: the next version, or with <paramref name="afterGap"/> a snapshot
    /// step that skips the versions the provider did not share.
    /// </summary>
    public void Apply(Commit commit, bool afterGap = false)
    {
        if (afterGap)
            Snapshot.ApplyAfterGap(commit);
        else
            Snapshot.Apply(commit);
    }
}
