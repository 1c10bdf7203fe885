namespace ReplicaSync.Sync;

/// <summary>What one run has done so far: committed versions (reported as they land), how it began, why it stopped.</summary>
internal sealed class Run(long startVersion, long goal, long providerVersion, IProgress<VersionReport>? progress, long? byteBudget)
{
    private readonly List<VersionReport> _versions = [];
    private readonly long _startVersion = startVersion;
    private long _endVersion = startVersion;

    public long Goal { get; } = goal;
    public ByteBudget Budget { get; } = new(byteBudget);
    public string? Began { get; set; }
    public string? StoppedBecause { get; set; }

    /// <summary>Records a committed version and tells the progress sink and the observer.</summary>
    public void Add(VersionReport report, ISyncObserver observer)
    {
        _versions.Add(report);
        _endVersion = report.Version;
        progress?.Report(report);
        observer.VersionCommitted(report);
    }

    public SyncReport Report() => new(_startVersion, _endVersion, Goal, providerVersion, _versions)
    {
        Began = Began,
        StoppedBecause = StoppedBecause,
    };
}

/// <summary>
/// The most bytes a run may copy. Versions are admitted by their planned bytes (an upper bound: files an earlier
/// run left are reused), so a run never copies more than the budget and stops at a version boundary.
/// </summary>
internal sealed class ByteBudget(long? limit)
{
    private long _planned;

    /// <summary>Null when <paramref name="bytes"/> more fit (and takes them), else why the version is refused.</summary>
    public string? Refuses(long version, long bytes)
    {
        if (limit is { } max && _planned + bytes > max)
            return $"the run's byte budget of {max} bytes would be exceeded by version {version} ({bytes} bytes to copy after {_planned} already planned)";
        _planned += bytes;
        return null;
    }
}
