namespace ReplicaSync.Sync;

/// <summary>
/// Passes a body through, telling the observer how many bytes arrived, and fails (IOException) at its end if it was
/// shorter or longer than announced.
/// </summary>
internal sealed class LengthCheckingStream(Stream inner, long? expected, string what, ISyncObserver observer) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Check(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
        Check(await inner.ReadAsync(buffer, ct));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private int Check(int n)
    {
        _read += n;
        if (n > 0)
            observer.BytesCopied(n);
        if (expected is { } size && (_read > size || (n == 0 && _read != size)))
            throw new IOException($"{what}: received {_read} bytes but the provider announced {size}");
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
