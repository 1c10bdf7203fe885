namespace ReplicaSync.Delta;

/// <summary>
/// Append-only storage of paths in 64 KiB chunks (below the large object heap's threshold), each path its length (a
/// varint) and bytes, addressed by a 32-bit location (chunk and offset): a million paths cost their bytes plus a few
/// hundred small arrays instead of a million strings. Only the last chunk is ever written, so a clone shares every full
/// chunk and copies that one.
/// </summary>
internal sealed class PathArena
{
    private const int ChunkBytes = 1 << 16;
    private const int MaxChunks = 1 << 16;

    private readonly List<byte[]> _chunks;
    private int _used;

    public PathArena()
    {
        _chunks = [];
        _used = ChunkBytes;
    }

    private PathArena(PathArena source)
    {
        _chunks = [.. source._chunks];
        _used = source._used;
        Capacity = source.Capacity;
        if (_chunks.Count > 0)
            _chunks[^1] = (byte[])_chunks[^1].Clone();
    }

    /// <summary>Bytes held in chunks, used or not.</summary>
    public long Capacity { get; private set; }

    /// <summary>An arena with the same paths at the same locations; appends to either do not show in the other.</summary>
    public PathArena Clone() => new(this);

    /// <summary>Stores <paramref name="path"/>; returns its location.</summary>
    public uint Append(ReadOnlySpan<byte> path)
    {
        // The length prefix is encoded once, here, and its size decides whether the path still fits the last chunk.
        Span<byte> prefix = stackalloc byte[5];
        var prefixLength = 0;
        var length = (uint)path.Length;
        for (; length >= 0x80; length >>= 7)
            prefix[prefixLength++] = (byte)(length | 0x80);
        prefix[prefixLength++] = (byte)length;
        var needed = prefixLength + path.Length;
        if (_chunks.Count == 0 || ChunkBytes - _used < needed)
        {
            if (_chunks.Count == MaxChunks)
                throw new InvalidOperationException($"a snapshot's live file paths outgrew {MaxChunks} chunks of {ChunkBytes} bytes");
            // A path longer than a chunk gets a chunk of its own size; the next path starts a fresh one.
            var chunk = new byte[Math.Max(ChunkBytes, needed)];
            _chunks.Add(chunk);
            Capacity += chunk.Length;
            _used = 0;
        }
        var at = (uint)(_chunks.Count - 1) << 16 | (uint)_used;
        var target = _chunks[^1].AsSpan(_used);
        prefix[..prefixLength].CopyTo(target);
        path.CopyTo(target[prefixLength..]);
        _used += needed;
        return at;
    }

    /// <summary>The path stored at <paramref name="location"/>.</summary>
    public ReadOnlySpan<byte> Read(uint location)
    {
        var chunk = _chunks[(int)(location >> 16)].AsSpan((int)(location & 0xFFFF));
        var length = 0;
        var i = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = chunk[i++];
            length |= (b & 0x7F) << shift;
            if (b < 0x80)
                break;
        }
        return chunk.Slice(i, length);
    }
}
