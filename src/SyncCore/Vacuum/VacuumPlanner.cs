using ReplicaSync.Storage;

namespace ReplicaSync.Vacuum;

/// <summary>
/// Decides, without I/O, which listed objects a vacuum deletes. Rules, in order, for each object:
/// a key the log still needs is kept; anything in <c>_delta_log/</c> other than a writer's temp file is kept;
/// a file of an expired tombstone, or a change data file of a version older than the retention, is deleted; any other file is deleted only when older than the grace period
/// and either a writer's temp file or an ordinary (not hidden) file no commit references.
/// </summary>
public static class VacuumPlanner
{
    /// <summary>
    /// The plan for <paramref name="facts"/> and <paramref name="listing"/> at time <paramref name="now"/>. Throws a
    /// <see cref="VacuumException"/> when the table uses features vacuum does not understand or a malformed retention.
    /// </summary>
    public static VacuumPlan Plan(TableFacts facts, IEnumerable<ObjectInfo> listing, DateTimeOffset now, VacuumOptions options)
    {
        if (options.GracePeriod < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "the grace period must be zero or more");
        VacuumFeatures.Check(facts.Protocol);
        var retention = RetentionPolicy.Resolve(facts.Metadata.Configuration, options.Retention);
        var tombstoneCutoff = Before(now, retention.Effective);
        var unreferencedCutoff = Before(now, options.GracePeriod);
        var references = ReferenceSet.Build(facts, tombstoneCutoff.ToUnixTimeMilliseconds());

        var warnings = new List<string>();
        if (retention.Warning is { } shorter)
            warnings.Add(shorter);
        // An absolute path the log needs may name a listed file under another spelling. Nothing proves otherwise,
        // so no file is deleted merely for looking unreferenced (writer temp files excepted: no log names them).
        var orphansAllowed = references.AbsoluteProtected.Count == 0;
        if (!orphansAllowed)
            warnings.Add($"the log references {references.AbsoluteProtected.Count} file(s) by absolute path " +
                         $"(e.g. {references.AbsoluteProtected.First()}); unreferenced data files are kept");

        var rules = new Rules(references, facts.Metadata.PartitionColumns, unreferencedCutoff, orphansAllowed);
        var deletions = listing
            .DistinctBy(o => o.Path, StringComparer.Ordinal)
            .Select(o => rules.Classify(o) is { } reason ? new PlannedDeletion(o.Path, o.Size, reason) : null)
            .OfType<PlannedDeletion>()
            .OrderBy(d => d.Path, StringComparer.Ordinal)
            .ToList();
        return new VacuumPlan(facts.Version, retention, tombstoneCutoff, unreferencedCutoff, deletions,
            [.. references.AbsoluteExpired], warnings);
    }

    // A retention of centuries means "keep everything", not an out-of-range error.
    private static DateTimeOffset Before(DateTimeOffset now, TimeSpan span) =>
        span >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - span;

    private sealed record Rules(ReferenceSet References, IReadOnlyCollection<string> PartitionColumns, DateTimeOffset UnreferencedCutoff, bool OrphansAllowed)
    {
        public DeletionReason? Classify(ObjectInfo obj)
        {
            var key = obj.Path;
            if (References.Protected.Contains(key))
                return null;
            var temp = VacuumPaths.IsTempFile(key);
            if (VacuumPaths.IsInLog(key) && !temp)
                return null;
            if (References.Expired.Contains(key))
                return DeletionReason.ExpiredTombstone;
            if (References.ExpiredChangeData.Contains(key))
                return DeletionReason.ExpiredChangeData;
            if (obj.LastModified >= UnreferencedCutoff)
                return null;
            if (temp)
                return DeletionReason.Unreferenced;
            return OrphansAllowed && !VacuumPaths.IsHidden(key, PartitionColumns) ? DeletionReason.Unreferenced : null;
        }
    }
}
