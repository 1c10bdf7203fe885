namespace ReplicaSync;

/// <summary>Reads newline-delimited lines from a stream as they arrive, holding at most one line plus one read in memory.</summary>
internal sealed class NdjsonLineReader(Stream stream, int maxLineBytes = NdjsonLineReader.DefaultMaxLineBytes)
{
    // A metaData line with a wide schema can be megabytes; anything past this is a broken or hostile server.
    public const int DefaultMaxLineBytes = 64 * 1024 * 1024;

    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line without its '\n' or '\r\n', or null at the end; the memory is valid until the next call.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken ct)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
                return Take(scanned + newline, consumed: scanned + newline + 1);
            scanned = _end - _start;
            if (_eof)
            {
                // The last line may lack its '\n'. A plain "? null :" would turn null into an empty line (via byte[]), so cast.
                return scanned == 0 ? (ReadOnlyMemory<byte>?)null : Take(scanned, consumed: scanned);
            }
            if (scanned >= maxLineBytes)
                throw new InvalidDataException($"line {LineNumber + 1} is longer than {maxLineBytes} bytes");
            MakeRoom();
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            if (read == 0)
                _eof = true;
            _end += read;
        }
    }

    private ReadOnlyMemory<byte> Take(int length, int consumed)
    {
        var line = _buffer.AsMemory(_start, length);
        _start += consumed;
        LineNumber++;
        return line.Span is [.., (byte)'\r'] ? line[..^1] : line;
    }

    private void MakeRoom()
    {
        if (_end < _buffer.Length)
            return;
        var used = _end - _start;
        if (_start > 0)
        {
            // Shift the partial line to the front instead of growing: most lines are small.
            _buffer.AsSpan(_start, used).CopyTo(_buffer);
        }
        else
        {
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxLineBytes + 1L));
        }
        _start = 0;
        _end = used;
    }
}
