using System.Buffers;

namespace ReplicaSync.Parquet;

/// <summary>A growable byte buffer rented from the shared pool; the writer reuses a few of these for every page.</summary>
internal sealed class PooledBuffer(int initialCapacity = 4096) : IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    /// <summary>Free space of at least <paramref name="size"/> bytes at the end; call <see cref="Advance"/> after filling it.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_array.Length - Length < size)
            Grow(size);
        return _array.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    public void WriteByte(byte value)
    {
        if (Length == _array.Length)
            Grow(1);
        _array[Length++] = value;
    }

    /// <summary>Appends an unsigned LEB128 varint, as the Thrift compact protocol and RLE run headers use.</summary>
    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        WriteByte((byte)value);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    /// <summary>Direct access to written bytes, for back-filling a length written before its data.</summary>
    public Span<byte> Slice(int start, int length) => _array.AsSpan(start, length);

    public void Clear() => Length = 0;

    public void Dispose()
    {
        var array = _array;
        _array = [];
        Length = 0;
        if (array.Length > 0)
            ArrayPool<byte>.Shared.Return(array);
    }

    private void Grow(int size)
    {
        var needed = (long)Length + size;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException("a Parquet page or footer cannot exceed 2 GB");
        var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_array.Length * 2)));
        _array.AsSpan(0, Length).CopyTo(next);
        if (_array.Length > 0)
            ArrayPool<byte>.Shared.Return(_array);
        _array = next;
    }
}
