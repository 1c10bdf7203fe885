using ReplicaSync.Delta;

namespace ReplicaSync.Vacuum;

/// <summary>
/// What vacuum needs from the log: the latest snapshot's protocol, metadata, live files and tombstones, plus the
/// adds and change data files (with their commit's time) of the commit files still present. Plain data, so the
/// planner runs without I/O.
/// </summary>
public sealed record TableFacts(
    long Version,
    Protocol Protocol,
    Metadata Metadata,
    IReadOnlyDictionary<FileKey, LiveFile> LiveFiles,
    IReadOnlyDictionary<FileKey, RemoveFile> Tombstones,
    IReadOnlyList<AddFile> CommitAdds,
    IReadOnlyList<CommitChangeFile> CommitChangeFiles)
{
    /// <summary>Facts from a snapshot and the commits present (in any order; other actions than add and cdc may be left out).</summary>
    public static TableFacts From(Snapshot snapshot, IEnumerable<Commit> presentCommits)
    {
        if (snapshot.Protocol is null || snapshot.Metadata is null)
            throw new VacuumException("the table's log has no protocol or metaData");
        var adds = new List<AddFile>();
        var cdc = new List<CommitChangeFile>();
        foreach (var commit in presentCommits)
        {
            foreach (var action in commit.Actions)
            {
                if (action is AddFile add)
                    adds.Add(add);
                else if (action is CdcFile change)
                    cdc.Add(new CommitChangeFile(change, commit.Timestamp));
            }
        }
        return new TableFacts(snapshot.Version, snapshot.Protocol, snapshot.Metadata, snapshot.Files, snapshot.Tombstones, adds, cdc);
    }
}
