namespace ReplicaSync.Vacuum;

/// <summary>Files and bytes, in total and per reason, of a set of deletions (planned or done).</summary>
public sealed record VacuumSummary(long Files, long Bytes, IReadOnlyDictionary<DeletionReason, (long Files, long Bytes)> ByReason)
{
    public static VacuumSummary Of(IEnumerable<PlannedDeletion> deletions)
    {
        var byReason = Enum.GetValues<DeletionReason>().ToDictionary(r => r, _ => (Files: 0L, Bytes: 0L));
        foreach (var d in deletions)
        {
            var (files, bytes) = byReason[d.Reason];
            byReason[d.Reason] = (files + 1, bytes + d.Size);
        }
        return new VacuumSummary(byReason.Values.Sum(t => t.Files), byReason.Values.Sum(t => t.Bytes), byReason);
    }
}
