using ReplicaSync.Delta;

namespace ReplicaSync.Vacuum;

/// <summary>
/// What vacuum needs from the log: the latest snapshot's protocol, metadata, live files and tombstones, plus the
/// file actions of the commit files still present. Plain data, so the planner runs without I/O.
/// </summary>
public sealed record TableFacts(
    long Version,
    Protocol Protocol,
    Metadata Metadata,
    IReadOnlyDictionary<FileKey, LiveFile> LiveFiles,
    IReadOnlyDictionary<FileKey, RemoveFile> Tombstones,
    IReadOnlyList<AddFile> CommitAdds,
    IReadOnlyList<CdcFile> CommitCdcFiles)
{
    /// <summary>Facts from a snapshot and the actions of the commits present (in any order).</summary>
    public static TableFacts From(Snapshot snapshot, IEnumerable<DeltaAction> presentCommitActions)
    {
        if (snapshot.Protocol is null || snapshot.Metadata is null)
            throw new VacuumException("the table's log has no protocol or metaData");
        var adds = new List<AddFile>();
        var cdc = new List<CdcFile>();
        foreach (var action in presentCommitActions)
        {
            if (action is AddFile add)
                adds.Add(add);
            else if (action is CdcFile change)
                cdc.Add(change);
        }
        return new TableFacts(snapshot.Version, snapshot.Protocol, snapshot.Metadata, snapshot.Files, snapshot.Tombstones, adds, cdc);
    }
}
