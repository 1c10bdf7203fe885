using ReplicaSync.Delta;

namespace ReplicaSync.Vacuum;

/// <summary>Reads <see cref="TableFacts"/> from a table's log.</summary>
public static class TableFactsReader
{
    /// <summary>
    /// The snapshot comes from <see cref="DeltaLog.LoadSnapshotAsync"/>, so vacuum follows DeltaLog when it starts
    /// replaying from checkpoints; the commit files present are then read once more for what no snapshot keeps
    /// (cdc actions) and for adds whose removal a checkpoint may have dropped.
    /// </summary>
    public static async Task<TableFacts> LoadAsync(DeltaLog log, CancellationToken ct)
    {
        var commits = await log.ListCommitsAsync(ct);
        if (commits.Count == 0)
            throw new VacuumException($"{log.Store.Location}: no Delta table here (no commits in _delta_log/)");
        var snapshot = await log.LoadSnapshotAsync(null, ct)
            ?? throw new VacuumException($"{log.Store.Location}: the Delta log disappeared while reading it");
        var present = new List<Commit>(commits.Count);
        foreach (var (version, fileTime) in commits)
        {
            var commit = await log.ReadCommitAsync(version, fileTime, ct);
            present.Add(commit with { Actions = commit.Actions.Where(a => a is AddFile or CdcFile).ToList() });
        }
        return TableFacts.From(snapshot, present);
    }
}
