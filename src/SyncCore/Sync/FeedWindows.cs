namespace ReplicaSync.Sync;

/// <summary>
/// Sizes the change feed's windows (the versions one request asks for) by the file lines they hold, so a run's memory
/// follows <see cref="SyncOptions.FilesPerRequest"/> rather than what a hundred versions happen to carry: a window
/// that held more lines per version than fit makes the next one narrower at once, and windows of small versions widen,
/// at most doubling each time, up to <see cref="SyncOptions.VersionsPerRequest"/>. The first window asks for a few
/// versions, so even a run's first request cannot hold a hundred large ones. One version is never split: a single
/// version with more files than the target is still read whole.
/// </summary>
public sealed class FeedWindows
{
    /// <summary>Versions the first window asks for (fewer when the maximum is lower).</summary>
    public const int FirstVersions = 8;
    private readonly int _maxVersions;
    private readonly long _targetFiles;

    public FeedWindows(int maxVersions, long targetFiles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetFiles, 1);
        _maxVersions = maxVersions;
        _targetFiles = targetFiles;
        Versions = Math.Min(FirstVersions, maxVersions);
    }

    /// <summary>Versions the next window asks for.</summary>
    public int Versions { get; private set; }

    /// <summary>The next window from <paramref name="from"/>: its last version, at most <paramref name="goal"/>.</summary>
    public long End(long from, long goal) => Math.Min(goal, from + Versions - 1);

    /// <summary>A window of <paramref name="versions"/> versions was read and held <paramref name="lines"/> file lines.</summary>
    public void Read(int versions, long lines)
    {
        var perVersion = Math.Max(1.0, lines / (double)Math.Max(1, versions));
        var fit = (int)Math.Clamp(Math.Floor(_targetFiles / perVersion), 1, _maxVersions);
        Versions = Math.Min(fit, Math.Min(_maxVersions, Versions * 2));
    }

    /// <summary>A window just read, counted as the lines it holds (adds, removes and change data files).</summary>
    public void Read(IReadOnlyList<ProviderVersion> window) =>
        Read(window.Count, window.Sum(v => (long)v.Adds.Count + v.Removes.Count + v.ChangeFiles.Count));
}
