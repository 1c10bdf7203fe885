using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.SharingServer;

/// <summary>
/// One shared table: its names and id, its store (a local directory or any store address) and log, and the version arithmetic the endpoints need
/// (latest version, version by timestamp, snapshots). Every call lists the log afresh, so new commits show up at once.
/// </summary>
internal sealed class SharedTable
{
    private readonly SnapshotCache _snapshots = new();
    // A client pages without pause; two minutes without a page means it stopped.
    private readonly SnapshotPages _pages = new(TimeSpan.FromMinutes(2), TimeProvider.System);
    // The local directory, or null for a table in an object store.
    private readonly string? _root;

    public SharedTable(string share, string shareId, string schema, TableConfig config, Func<string, IObjectStore> openStore)
    {
        Share = share;
        ShareId = shareId;
        Schema = schema;
        Name = config.Name;
        Id = config.Id ?? ConfigValidator.DerivedId("table", share, schema, config.Name);
        HistoryShared = config.HistoryShared;
        FileUrlBase = config.FileUrlBase?.TrimEnd('/');
        _root = TableLocation.LocalDirectory(config.Location);
        Store = _root is null ? openStore(config.Location) : new LocalObjectStore(_root);
        Log = new DeltaLog(Store);
    }

    public string Share { get; }
    public string ShareId { get; }
    public string Schema { get; }
    public string Name { get; }
    public string Id { get; }
    public bool HistoryShared { get; }
    /// <summary>The static server file URLs point to instead of this server, if configured.</summary>
    public string? FileUrlBase { get; }
    public IObjectStore Store { get; }
    public DeltaLog Log { get; }

    /// <summary>Throws the protocol's 400 when history is not shared and a request needs it.</summary>
    public void RequireHistory(string parameter)
    {
        if (!HistoryShared)
            throw SharingException.InvalidParameter($"{parameter} is not allowed: table history is not shared for {Share}.{Schema}.{Name}");
    }

    /// <summary>
    /// The storage key of a file named in the log. Paths are URI-encoded there, so they are decoded exactly once
    /// (<c>x=A%252FA/f</c> is the directory <c>x=A%2FA</c>); absolute <c>file:</c> paths must lie inside the root of a
    /// local table. Keys that would leave the root (<c>..</c>, empty segments) are refused: a log is provider input.
    /// </summary>
    public string StorageKeyOf(string logPath)
    {
        if (Uri.TryCreate(logPath, UriKind.Absolute, out var uri) && (uri.Scheme.Length > 1 || logPath.StartsWith('/')))
        {
            if (!uri.IsFile || _root is null)
                throw SharingException.Unsupported($"the table references a file by absolute URL ({uri.Scheme}:), which cannot be shared");
            var relative = Path.GetRelativePath(_root, Path.GetFullPath(uri.LocalPath));
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                throw SharingException.Unsupported("the table references a file outside its root, which cannot be shared");
            return relative.Replace(Path.DirectorySeparatorChar, '/');
        }
        var key = Uri.UnescapeDataString(logPath);
        try
        {
            return ObjectPath.Validate(key);
        }
        catch (ArgumentException)
        {
            throw SharingException.Unsupported("the table references a file path that is not a plain key inside the table, which cannot be shared");
        }
    }

    /// <summary>
    /// The readable versions: from 0, or from the oldest complete checkpoint when older commits were cleaned up
    /// (then a snapshot before it cannot be built, and changes are readable only after it).
    /// </summary>
    public async Task<(long Earliest, long Latest)> VersionRangeAsync(CancellationToken ct) =>
        await Log.VersionRangeAsync(ct)
        ?? throw new SharingException(400, ErrorCodes.ResourceDoesNotExist, $"table {Share}.{Schema}.{Name} has no Delta log");

    /// <summary>The commits at or after the earliest readable version.</summary>
    public async Task<IReadOnlyList<(long Version, DateTimeOffset FileTime)>> CommitsAsync(CancellationToken ct)
    {
        var (earliest, _) = await VersionRangeAsync(ct);
        return (await Log.ListCommitsAsync(ct)).Where(c => c.Version >= earliest).ToList();
    }

    public async Task<long> LatestVersionAsync(CancellationToken ct) => (await VersionRangeAsync(ct)).Latest;

    /// <summary>
    /// The log files that make up <paramref name="version"/> (the latest when null), which must be readable. One log
    /// listing gives both the latest version and the readable range.
    /// </summary>
    public async Task<LogSegment> SegmentAsync(long? version, CancellationToken ct) =>
        (await LogSegment.BuildAsync(Store, await ReadableAsync(version, ct), ct))!;

    /// <summary>
    /// The table state at <paramref name="version"/> (the latest when null), which must be readable; the caller owns
    /// it. Built from the state a request last handed to <see cref="KeepAsync"/> when that one is at or before the
    /// version, else replayed from the log.
    /// </summary>
    public async Task<Snapshot> SnapshotAsync(long? version, CancellationToken ct) =>
        await SnapshotAsync(version, await VersionRangeAsync(ct), ct);

    /// <summary>
    /// <see cref="SnapshotAsync(long?, CancellationToken)"/> within a readable range the caller has just listed, so a
    /// request that needed the range anyway lists the log once.
    /// </summary>
    public async Task<Snapshot> SnapshotAsync(long? version, (long Earliest, long Latest) range, CancellationToken ct)
    {
        var (earliest, latest) = range;
        var target = Readable(version ?? latest, earliest, latest);
        if (await _snapshots.BasisForAsync(Store, target, earliest, ct) is not { } state)
            return await Log.ReplayAsync((await LogSegment.BuildAsync(Store, target, ct))!, ct);
        if (state.Version < target)
        {
            await foreach (var commit in Log.ReadCommitsAsync(state.Version + 1, target, ct))
                state.Apply(commit);
        }
        return state;
    }

    /// <summary>
    /// The snapshot of <paramref name="segment"/> with its live adds in page order (the log's scan order, the same for
    /// the same log files), kept while a client pages through it, with a reader's lease on its adds that the caller
    /// releases. Built without the request's token, since later pages may share it; a request that is aborted stops
    /// waiting, not the build.
    /// </summary>
    public Task<PagedSnapshot> PagedSnapshotAsync(LogSegment segment, CancellationToken ct) =>
        _pages.LeaseAsync(segment, async () =>
        {
            var state = await Log.ReplayAsync(segment, CancellationToken.None);
            return new PagedSnapshot(state, await SpilledAdds.WriteAsync(Log.ScanLiveAddsAsync(segment, CancellationToken.None), CancellationToken.None));
        }, ct);

    /// <summary>The last page of <paramref name="segment"/> has been served.</summary>
    public void PagesServed(LogSegment segment) => _pages.Served(segment);

    /// <summary>Gives a state the caller is done with to the cache, for the next request at or after its version.</summary>
    public Task KeepAsync(Snapshot state, CancellationToken ct) => _snapshots.KeepAsync(Store, state, ct);

    /// <summary>The earliest version committed at or after <paramref name="timestampMs"/>; 0 when it is before version 0.</summary>
    public async Task<long> VersionAtOrAfterAsync(long timestampMs, CancellationToken ct)
    {
        foreach (var (version, fileTime) in await CommitsAsync(ct))
        {
            var commit = await Log.ReadCommitAsync(version, fileTime, ct);
            if (commit.Timestamp >= timestampMs)
                return version;
        }
        throw SharingException.InvalidParameter($"the timestamp {Format(timestampMs)} is after the last commit of the table");
    }

    /// <summary>
    /// The version a time-travel <c>timestamp</c> reads: the last one committed at or before it. Like Delta, a
    /// timestamp before the first commit or after the last one is an error.
    /// </summary>
    public async Task<long> VersionAsOfAsync(long timestampMs, CancellationToken ct)
    {
        long? found = null;
        long foundTimestamp = 0;
        foreach (var (version, fileTime) in await CommitsAsync(ct))
        {
            var commit = await Log.ReadCommitAsync(version, fileTime, ct);
            if (commit.Timestamp > timestampMs)
            {
                return found ?? throw SharingException.InvalidParameter(
                    $"the timestamp {Format(timestampMs)} is before the first commit of the table");
            }
            found = version;
            foundTimestamp = commit.Timestamp;
        }
        if (foundTimestamp < timestampMs)
            throw SharingException.InvalidParameter($"the timestamp {Format(timestampMs)} is after the last commit of the table");
        return found!.Value;
    }

    private async Task<long> ReadableAsync(long? version, CancellationToken ct)
    {
        var (earliest, latest) = await VersionRangeAsync(ct);
        return Readable(version ?? latest, earliest, latest);
    }

    private static long Readable(long version, long earliest, long latest)
    {
        if (version > latest)
            throw SharingException.InvalidParameter($"version {version} does not exist: the latest version is {latest}");
        if (version < earliest)
            throw SharingException.InvalidParameter($"You can only query table data since version {earliest}");
        return version;
    }

    private static string Format(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O");
}
