namespace ReplicaSync.Storage.Azure;

/// <summary>
/// Exactly <c>length</c> bytes of a caller's stream as an Azure.Core request body. Azure.Core takes only seekable bodies
/// (it rewinds them to re-send, and takes the Content-Length from them), but these bytes can be read once: the body
/// reports its length and accepts a seek only to where it already is, so the first send works and a re-send fails
/// loudly instead of sending wrong bytes. Requests with such a body are never retried (<see cref="AzureRetry.Never"/>).
/// </summary>
internal sealed class OneShotBody(Stream content, long length) : Stream
{
    private readonly BoundedStream _inner = new(content, length, exact: true, leaveOpen: true);

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _inner.Position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => length + offset,
        };
        if (target != Position)
            throw new NotSupportedException("a block read from the caller's stream cannot be sent twice");
        return target;
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => _inner.ReadAsync(buffer, ct);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => _inner.ReadAsync(buffer, offset, count, ct);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _inner.Dispose();
        base.Dispose(disposing);
    }
}
