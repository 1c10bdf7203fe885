namespace ReplicaSync.Sync;

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
