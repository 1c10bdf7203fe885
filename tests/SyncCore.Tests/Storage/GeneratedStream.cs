using System.Security.Cryptography;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// A non-seekable source of deterministic pseudo-random bytes that hashes what it hands out, so a large write can
/// be checked without keeping the content. It can fail, or cancel a token, once a given number of bytes is out.
/// </summary>
internal sealed class GeneratedStream(long length, long failAfter = long.MaxValue, CancellationTokenSource? cancelAfterFail = null) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Random _random = new(42);
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>SHA-256 of everything read so far.</summary>
    public string Hash => Convert.ToHexString(_hash.GetCurrentHash());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= failAfter)
        {
            if (cancelAfterFail is null)
                throw new IOException("simulated source failure");
            cancelAfterFail.Cancel();
            cancelAfterFail.Token.ThrowIfCancellationRequested();
        }
        var n = (int)Math.Min(buffer.Length, Math.Min(length, failAfter) - _position);
        if (n <= 0)
            return 0;
        _random.NextBytes(buffer[..n]);
        _hash.AppendData(buffer[..n]);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
