namespace ReplicaSync.Storage;

/// <summary>
/// Optional capability: the store fetches an object from an http(s) URL itself (Azure Put Block From URL), so the
/// bytes never pass through the daemon. Discovered at run time with <c>store is IServerSideCopy</c>; callers fall
/// back to streaming when the store lacks it or throws <see cref="NotSupportedException"/> for a given URL.
/// </summary>
public interface IServerSideCopy
{
    /// <summary>
    /// Makes <paramref name="path"/> a copy of the <paramref name="size"/> bytes at <paramref name="source"/>, visible
    /// only once complete and durable. Returns the number of bytes copied.
    /// </summary>
    Task<long> CopyFromUrlAsync(string path, Uri source, long size, CancellationToken ct);
}
