namespace ReplicaSync.Vacuum;

/// <summary>
/// Chooses how long removed files are kept: an explicit request wins (allowed even below the table's setting,
/// with a warning, because a replica operator may need space back), else <c>delta.deletedFileRetentionDuration</c>,
/// else Delta's default of one week.
/// </summary>
public static class RetentionPolicy
{
    public const string Property = "delta.deletedFileRetentionDuration";
    public static readonly TimeSpan Default = TimeSpan.FromDays(7);

    /// <summary>Resolves the retention; a malformed table property is an error even with an explicit request, since the table itself is then inconsistent.</summary>
    public static Retention Resolve(IReadOnlyDictionary<string, string?> configuration, TimeSpan? requested)
    {
        if (requested < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(requested), "the retention must be zero or more");
        var configured = configuration.TryGetValue(Property, out var text) && text is not null;
        var table = configured ? DeltaInterval.Parse(Property, text!) : Default;
        var tableSource = configured ? $"{Property} = {text}" : $"Delta default, {Property} not set";
        if (requested is not { } explicitRetention)
            return new Retention(table, table, tableSource, null);
        var warning = explicitRetention < table
            ? $"the retention asked for ({Hours(explicitRetention)}) is shorter than the table's ({Hours(table)}, {tableSource}): " +
              "readers of versions older than that may find files missing"
            : null;
        return new Retention(explicitRetention, table, "requested", warning);
    }

    /// <summary>A duration in hours as the CLI takes it.</summary>
    public static string Hours(TimeSpan span) => span.TotalHours.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " h";
}
