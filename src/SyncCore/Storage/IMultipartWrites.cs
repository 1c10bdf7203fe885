namespace ReplicaSync.Storage;

/// <summary>
/// Optional capability: an object of known size written as independent parts, in any order and in parallel (S3
/// multipart, Azure blocks, offsets of a temp file on disk). A part can be written again after a failure (part-level
/// retry). Discovered at run time with <c>store is IMultipartWrites</c>.
/// </summary>
public interface IMultipartWrites
{
    /// <summary>The smallest part the store accepts, except for the last one (5 MiB on S3).</summary>
    long MinPartSize { get; }

    /// <summary>The most parts one object may have (10,000 on S3, 50,000 on Azure).</summary>
    int MaxParts { get; }

    /// <summary>Begins an object of <paramref name="size"/> bytes at <paramref name="path"/>; nothing is visible until it completes.</summary>
    Task<IMultipartWrite> BeginAsync(string path, long size, CancellationToken ct);
}

/// <summary>
/// One object being written in parts. Disposing it without <see cref="CompleteAsync"/> abandons the write and
/// releases what was staged (aborts the multipart upload, deletes the temp file).
/// </summary>
public interface IMultipartWrite : IAsyncDisposable
{
    /// <summary>
    /// Writes part <paramref name="index"/> (0-based): <paramref name="length"/> bytes read from
    /// <paramref name="content"/> that belong at <paramref name="offset"/>. Writing the same part again replaces it.
    /// </summary>
    Task WritePartAsync(int index, long offset, long length, Stream content, CancellationToken ct);

    /// <summary>Publishes the object once every part is written; the object is durable when this returns.</summary>
    Task CompleteAsync(CancellationToken ct);
}
