using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The last table states requests finished with, so that the next request at such a version or a later one applies
/// only the commits since instead of replaying the log: a catch-up reads the change feed window by window (the next
/// window while it checks the counts of the previous one), and each window needs the state just before it, which is
/// where the previous window ended. A cached state is never changed; requests get copies. One is used only while its
/// commit file is the one it was built from, so a table deleted and written again is replayed afresh.
/// </summary>
internal sealed class SnapshotCache
{
    // Two: the window a client reads ahead and the one it is still checking.
    private const int Capacity = 2;
    private readonly Lock _lock = new();
    private readonly List<(Snapshot State, ObjectInfo CommitFile)> _kept = new(Capacity + 1);

    /// <summary>
    /// A copy of the newest cached state to bring up to <paramref name="version"/>, or null when none fits: it must be
    /// at or before the version, its commits after it must still be readable (not before <paramref name="earliest"/>),
    /// and its own commit file must be the one it was built from.
    /// </summary>
    public async Task<Snapshot?> BasisForAsync(IObjectStore store, long version, long earliest, CancellationToken ct)
    {
        (Snapshot State, ObjectInfo CommitFile)? best = null;
        lock (_lock)
        {
            foreach (var kept in _kept)
            {
                if (kept.State.Version <= version && kept.State.Version >= earliest && (best is null || kept.State.Version > best.Value.State.Version))
                    best = kept;
            }
        }
        if (best is not var (state, file))
            return null;
        var now = await store.StatAsync(LogFileNames.Commit(state.Version), ct);
        return now is not null && now.Size == file.Size && now.LastModified == file.LastModified ? state.Clone() : null;
    }

    /// <summary>Keeps <paramref name="state"/>, which the caller no longer changes, with its commit file's size and time.</summary>
    public async Task KeepAsync(IObjectStore store, Snapshot state, CancellationToken ct)
    {
        if (state.Version < 0 || await store.StatAsync(LogFileNames.Commit(state.Version), ct) is not { } file)
            return;
        lock (_lock)
        {
            _kept.RemoveAll(k => k.State.Version == state.Version);
            _kept.Add((state, file));
            if (_kept.Count > Capacity)
                _kept.RemoveAt(0);
        }
    }
}
