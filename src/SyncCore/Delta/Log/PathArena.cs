namespace ReplicaSync.Delta;

/// <summary>
/// Append-only storage of UTF-8 paths in 64 KiB chunks (below the large object heap's threshold), addressed by a
/// location (chunk and offset) and a length: a million paths cost their bytes plus a few hundred small arrays instead
/// of a million strings. Only the last chunk is ever written, so a clone shares every full chunk and copies that one.
/// </summary>
internal sealed class PathArena
{
    private const int ChunkBytes = 64 * 1024;

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
        if (_chunks.Count > 0)
            _chunks[^1] = (byte[])_chunks[^1].Clone();
    }

    /// <summary>Bytes held in chunks, used or not.</summary>
    public long Capacity { get; private set; }

    /// <summary>An arena with the same paths at the same locations; appends to either do not show in the other.</summary>
    public PathArena Clone() => new(this);

    /// <summary>Stores <paramref name="path"/>; returns its location.</summary>
    public long Append(ReadOnlySpan<byte> path)
    {
        if (_chunks.Count == 0 || ChunkBytes - _used < path.Length)
        {
            // A path longer than a chunk gets a chunk of its own size; the next path starts a fresh one.
            var chunk = new byte[Math.Max(ChunkBytes, path.Length)];
            _chunks.Add(chunk);
            Capacity += chunk.Length;
            _used = 0;
        }
        var at = ((long)(_chunks.Count - 1) << 32) | (uint)_used;
        path.CopyTo(_chunks[^1].AsSpan(_used));
        _used += path.Length;
        return at;
    }

    /// <summary>The path stored at <paramref name="location"/>.</summary>
    public ReadOnlySpan<byte> Read(long location, int length) =>
        _chunks[(int)(location >> 32)].AsSpan((int)(uint)location, length);
}
