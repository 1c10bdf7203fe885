namespace ReplicaSync.Vacuum;

/// <summary>
/// What a vacuum of the table at <see cref="Version"/> deletes, sorted by path, with the cutoffs that chose it,
/// absolute paths it leaves alone, and warnings for the operator.
/// </summary>
public sealed record VacuumPlan(
    long Version,
    Retention Retention,
    DateTimeOffset TombstoneCutoff,
    DateTimeOffset UnreferencedCutoff,
    IReadOnlyList<PlannedDeletion> Deletions,
    IReadOnlyList<string> AbsolutePathsKept,
    IReadOnlyList<string> Warnings)
{
    public VacuumSummary Summary => VacuumSummary.Of(Deletions);
}
