namespace ReplicaSync.Storage;

/// <summary>
/// The storage contract every backend implements, in the spirit of rclone's Fs: paths are relative,
/// '/'-separated keys under the store's root; nothing can address a key outside it.
/// </summary>
public interface IObjectStore
{
    /// <summary>A printable description of the root with no secrets in it.</summary>
    string Location { get; }

    /// <summary>Size and time of an object, or null when it does not exist.</summary>
    Task<ObjectInfo?> StatAsync(string path, CancellationToken ct);

    /// <summary>Opens an object for reading, whole or a byte range; throws <see cref="ObjectNotFoundException"/> when absent.</summary>
    Task<Stream> OpenReadAsync(string path, ByteRange? range, CancellationToken ct);

    /// <summary>
    /// Streams <paramref name="content"/> into the object, replacing any previous one. Readers never see a partial
    /// object, and the object is durable when the task completes. Returns the number of bytes written.
    /// </summary>
    Task<long> WriteAsync(string path, Stream content, CancellationToken ct);

    /// <summary>Creates the object only if it does not exist yet; false when it already did (someone else won).</summary>
    Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct);

    /// <summary>
    /// Put-if-absent from a seekable stream, read from its start on every attempt, so that large content (a first
    /// checkpoint) need not be held in memory. Stores should override this; the default reads the stream into memory.
    /// The caller keeps ownership of <paramref name="content"/>.
    /// </summary>
    async Task<bool> PutIfAbsentAsync(string path, Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        content.Position = 0;
        await content.CopyToAsync(buffer, ct);
        return await PutIfAbsentAsync(path, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
    }

    /// <summary>Objects whose key starts with <paramref name="prefix"/>, in ascending key order, produced lazily.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct);

    /// <summary>
    /// Objects under <paramref name="prefix"/> whose key sorts after <paramref name="startAfter"/>, ascending. Stores that
    /// can start a listing at a key (S3 StartAfter) should override this; the default filters a full listing.
    /// </summary>
    async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, string startAfter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var info in ListAsync(prefix, ct))
        {
            if (string.CompareOrdinal(info.Path, startAfter) > 0)
                yield return info;
        }
    }

    /// <summary>
    /// The keys of the objects under <paramref name="prefix"/>, ascending, without their sizes and times: stores that
    /// pay a call per object for those (a local disk's stat) should override this.
    /// </summary>
    async IAsyncEnumerable<string> ListKeysAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var info in ListAsync(prefix, ct))
            yield return info.Path;
    }

    /// <summary>Deletes an object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken ct);
}

/// <summary>An object's key (relative to the store root), size in bytes and last-modified time.</summary>
public sealed record ObjectInfo(string Path, long Size, DateTimeOffset LastModified);

/// <summary>A byte range [Offset, Offset+Length); a null length means to the end.</summary>
public readonly record struct ByteRange(long Offset, long? Length);

/// <summary>The object asked for does not exist.</summary>
public sealed class ObjectNotFoundException(string path) : Exception($"object not found: {path}")
{
    public string Path { get; } = path;
}
