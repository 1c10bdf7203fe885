namespace ReplicaSync.Storage;

/// <summary>
/// A read-only view of the next <c>length</c> bytes of an inner stream. With <c>exact</c>, an inner stream that ends
/// sooner is an IOException (a part must be whole); otherwise it just ends. Disposing it disposes the inner stream
/// unless <c>leaveOpen</c>.
/// </summary>
internal sealed class BoundedStream(Stream inner, long length, bool exact = false, bool leaveOpen = false) : Stream
{
    private readonly long _length = length;
    private long _remaining = length;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _length - _remaining; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_remaining <= 0) return 0;
        return Took(inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_remaining <= 0) return 0;
        return Took(await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], ct));
    }

    private int Took(int n)
    {
        if (n == 0 && exact && _remaining > 0)
            throw new IOException($"the source ended {_remaining} bytes short of its {_length} bytes");
        _remaining -= n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }
}
