using ReplicaSync.Storage;

namespace ReplicaSync.TestSupport;

/// <summary>
/// An object store that passes every call to another; a test overrides the calls it watches, holds or fails.
/// Listings after a key use the interface's default, which goes through <see cref="ListAsync(string, CancellationToken)"/>.
/// </summary>
public abstract class ForwardingStore(IObjectStore inner) : IObjectStore
{
    protected IObjectStore Inner => inner;

    public virtual string Location => inner.Location;
    public virtual Task<ObjectInfo?> StatAsync(string path, CancellationToken ct) => inner.StatAsync(path, ct);
    public virtual Task<Stream> OpenReadAsync(string path, ByteRange? range, CancellationToken ct) => inner.OpenReadAsync(path, range, ct);
    public virtual Task<long> WriteAsync(string path, Stream content, CancellationToken ct) => inner.WriteAsync(path, content, ct);
    public virtual Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct) => inner.PutIfAbsentAsync(path, content, ct);
    public virtual IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct) => inner.ListAsync(prefix, ct);
    public virtual Task DeleteAsync(string path, CancellationToken ct) => inner.DeleteAsync(path, ct);
}
