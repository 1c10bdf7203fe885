using ReplicaSync.Delta;

namespace ReplicaSync.Sync.ChangeData;

/// <summary>
/// Which versions of a feed window record change data: those whose table metadata (the window's first metaData, then
/// each change) has <c>delta.enableChangeDataFeed=true</c>. Providers refuse the change data feed for a range that
/// holds any other version, so it is asked for one contiguous span of recording versions at a time.
/// </summary>
public static class ChangeDataSpans
{
    public const string EnableKey = "delta.enableChangeDataFeed";

    /// <summary>The maximal runs [From, To] of <paramref name="versions"/> (consecutive, in order) that record change data.</summary>
    public static IReadOnlyList<(long From, long To)> Recorded(IReadOnlyList<ProviderVersion> versions)
    {
        var spans = new List<(long From, long To)>();
        Metadata? metadata = null;
        long? open = null;
        foreach (var version in versions)
        {
            metadata = version.Metadata?.Metadata ?? metadata;
            var records = metadata is not null && IsEnabled(metadata);
            if (records && open is null)
                open = version.Version;
            if (!records && open is { } from)
            {
                spans.Add((from, version.Version - 1));
                open = null;
            }
        }
        if (open is { } last)
            spans.Add((last, versions[^1].Version));
        return spans;
    }

    /// <summary>Whether <paramref name="metadata"/> turns the change data feed on.</summary>
    public static bool IsEnabled(Metadata metadata) =>
        metadata.Configuration.GetValueOrDefault(EnableKey)?.Equals("true", StringComparison.OrdinalIgnoreCase) == true;
}
