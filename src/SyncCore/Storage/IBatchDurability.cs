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
    /// Like <see cref="IObjectStore.WriteAsync"/>, but a new object may be written in place: until this returns the key
    /// may hold a partial object, and a failed write or a killed process can leave one, shorter than the whole (a later
    /// write of the key replaces it whole). The object may be lost in a power failure until
    /// <see cref="MakeDurableAsync"/> completes. Use it only for objects nothing refers to yet, whose size the caller
    /// knows, so that a partial one left behind is told apart by its size.
    /// </summary>
    Task<long> WriteDeferredAsync(string path, Stream content, CancellationToken ct);

    /// <summary>Makes every deferred write that completed before this call durable.</summary>
    Task MakeDurableAsync(CancellationToken ct);
}
