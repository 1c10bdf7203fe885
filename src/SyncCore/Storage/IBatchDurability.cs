namespace ReplicaSync.Storage;

/// <summary>
/// Optional capability: the store can write objects whose durability is settled later, for many at once (local
/// disk: one <c>syncfs</c> instead of an fsync of every file and of its directory). Discovered at run time with
/// <c>store is IBatchDurability</c>; a caller must call <see cref="MakeDurableAsync"/> before anything that refers
/// to such an object (a commit) is written.
/// </summary>
public interface IBatchDurability
{
    /// <summary>
    /// Like <see cref="IObjectStore.WriteAsync"/>: readers never see a partial object, but the object may be lost in a
    /// power failure until <see cref="MakeDurableAsync"/> completes.
    /// </summary>
    Task<long> WriteDeferredAsync(string path, Stream content, CancellationToken ct);

    /// <summary>Makes every deferred write that completed before this call durable.</summary>
    Task MakeDurableAsync(CancellationToken ct);
}
