namespace ReplicaSync.Sync;

/// <summary>What one run has done so far: committed versions (reported as they land), how it began, why it stopped.</summary>
internal sealed class Run(long startVersion, long goal, long providerVersion, IProgress<VersionReport>? progress, long? byteBudget)
{
    private readonly List<VersionReport> _versions = [];
    private readonly long _startVersion = startVersion;
    private long _endVersion = startVersion;

    public long Goal { get; } = goal;
    public long ProviderVersion { get; } = providerVersion;
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

    public SyncReport Report() => new(_startVersion, _endVersion, Goal, ProviderVersion, _versions)
    {
        Began = Began,
        StoppedBecause = StoppedBecause,
    };
}
