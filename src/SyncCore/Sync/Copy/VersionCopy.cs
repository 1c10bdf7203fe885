namespace ReplicaSync.Sync.Copy;

/// <summary>The copies one version waits for: the files it enqueued (counted in its stats) and shared ones others enqueued.</summary>
public sealed class VersionCopy
{
    private readonly List<Task<CopiedFile>> _owned = [];
    private readonly List<Task<CopiedFile>> _shared = [];

    internal void Own(Task<CopiedFile> copy) => _owned.Add(copy);

    internal void DependOn(Task<CopiedFile> copy) => _shared.Add(copy);

    /// <summary>Completes when every file the version references is durable; faults with the first failed copy.</summary>
    public async Task<CopyStats> WhenDurableAsync(CancellationToken ct)
    {
        var stats = new CopyStats();
        foreach (var copy in _owned)
        {
            var file = await copy.WaitAsync(ct);
            if (file.Reused)
                stats.AddReused();
            else
                stats.AddCopied(file.Bytes);
        }
        foreach (var copy in _shared)
            await copy.WaitAsync(ct);
        return stats;
    }
}
