using ReplicaSync.Integrity;

namespace ReplicaSync.Sync.Copy;

/// <summary>
/// Bytes [start, end) of a provider file as one readable stream. A read that breaks (reset, idle timeout, body
/// ending early) resumes with a Range request at the byte it reached instead of starting over. It computes the
/// CRC-32C of what it delivers, reports bytes to the observer and takes them from the bandwidth limiter.
/// </summary>
internal sealed class SourceStream : Stream
{
    /// <summary>Progress that makes a broken read count as a fresh failure rather than one more in a row.</summary>
    private const long MinProgress = 1 << 20;
    private readonly SourceReader _reader;
    private readonly UrlHandle _url;
    private readonly long? _end;
    private readonly long? _size;
    private readonly string _what;
    private readonly BandwidthLimiter? _limiter;
    private readonly CancellationToken _copyToken;
    private CancellationTokenSource _idle;
    private SourceBody? _body;
    private long _position;
    private long _failedAt = -1;
    private int _failures;
    private uint _crc;
    private readonly long _created = System.Diagnostics.Stopwatch.GetTimestamp();

    public SourceStream(SourceReader reader, UrlHandle url, long start, long? end, long? size, string what,
        BandwidthLimiter? limiter, SourceBody? opened, CancellationToken ct)
    {
        _reader = reader;
        _url = url;
        _position = start;
        Start = start;
        _end = end;
        _size = size;
        _what = what;
        _limiter = limiter;
        _body = opened;
        _copyToken = ct;
        _idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
    }

    public long Start { get; }

    /// <summary>CRC-32C of the bytes delivered so far.</summary>
    public uint Crc => _crc;

    /// <summary>Time from this stream's creation (its request) to its first byte; null until a byte arrived.</summary>
    public TimeSpan? FirstByte { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position - Start; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    // Pooled builder: a read that waits for the network reuses its state machine instead of allocating one per chunk.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var remaining = _end - _position;
            if (remaining <= 0 || buffer.Length == 0)
                return 0;
            if (remaining is { } r && r < buffer.Length)
                buffer = buffer[..(int)r];
            int read;
            try
            {
                _body ??= await OpenAsync();
                _idle.CancelAfter(_reader.Options.ReadIdleTimeout);
                read = await _body.Stream.ReadAsync(buffer, _idle.Token);
                _idle.CancelAfter(Timeout.InfiniteTimeSpan);
            }
            catch (Exception e) when (Broken(e))
            {
                await FailAsync(e is OperationCanceledException ? "timeout" : "reset", e);
                continue;
            }
            if (read == 0)
            {
                if (_end is null)
                    return 0;
                await FailAsync("short body", new IOException($"{_what}: the body ended at byte {_position} of {_end}"));
                continue;
            }
            FirstByte ??= System.Diagnostics.Stopwatch.GetElapsedTime(_created);
            _crc = Crc32C.Append(_crc, buffer.Span[..read]);
            _position += read;
            _reader.Options.Observer.BytesCopied(read);
            if (_limiter is not null)
                await _limiter.AcquireAsync(read, _copyToken);
            return read;
        }
    }

    private async Task<SourceBody> OpenAsync()
    {
        var body = await _reader.OpenAsync(_url, _position, _end, _size, _what, _copyToken);
        if (!body.Ranged && _position > 0)
        {
            // The server ignored Range and sent the file from byte 0: skip to where this stream is.
            await SkipAsync(body.Stream, _position);
        }
        return body;
    }

    private async Task SkipAsync(Stream body, long count)
    {
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            while (count > 0)
            {
                var n = await body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, count)), _copyToken);
                if (n == 0)
                    throw new IOException($"{_what}: the body ended while skipping to byte {_position}");
                count -= n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private bool Broken(Exception e) => e switch
    {
        OperationCanceledException => !_copyToken.IsCancellationRequested,
        HttpRequestException or IOException => true,
        _ => false,
    };

    /// <summary>Drops the broken body; the next read reopens at the current byte after a backoff, or gives up.</summary>
    private async Task FailAsync(string reason, Exception error)
    {
        _body?.Dispose();
        _body = null;
        if (_idle.IsCancellationRequested)
        {
            _idle.Dispose();
            _idle = CancellationTokenSource.CreateLinkedTokenSource(_copyToken);
        }
        if (_failedAt < 0 || _position - _failedAt >= MinProgress)
            _failures = 0;
        _failedAt = _position;
        if (++_failures > _reader.Options.MaxRetries)
            throw new IOException($"{_what}: the transfer broke {_failures} times in a row at byte {_position} ({error.Message})", error);
        _reader.Options.Observer.Retried(reason);
        var backoff = _reader.Options.RetryBaseDelay * Math.Pow(2, _failures - 1) * (0.5 + Random.Shared.NextDouble());
        await Task.Delay(backoff, _copyToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body?.Dispose();
            _body = null;
            _idle.Dispose();
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
