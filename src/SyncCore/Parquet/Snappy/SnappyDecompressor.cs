using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ReplicaSync.Parquet;

/// <summary>
/// Decodes the raw Snappy block format (no framing) that Parquet uses: a varint length, then literals and
/// back-references. Every length and offset is checked, so corrupt input throws <see cref="InvalidDataException"/>.
/// </summary>
internal static class SnappyDecompressor
{
    /// <summary>The uncompressed length announced by the block's preamble.</summary>
    public static int GetUncompressedLength(ReadOnlySpan<byte> source) => ReadPreamble(source, out _);

    /// <summary>Decompresses <paramref name="source"/> into exactly <paramref name="destination"/>, which must have the announced length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var length = ReadPreamble(source, out var ip);
        if (length != destination.Length)
            throw new InvalidDataException($"Snappy block holds {length} bytes, expected {destination.Length}");
        var op = 0;
        while (ip < source.Length)
        {
            var tag = source[ip++];
            switch (tag & 3)
            {
                case 0:
                {
                    var literal = (tag >> 2) + 1;
                    if (literal > 60)
                    {
                        // 61..64 mean the length-1 follows in 1..4 little-endian bytes.
                        var extra = literal - 60;
                        if (ip + extra > source.Length)
                            throw Truncated();
                        var raw = 0u;
                        for (var i = 0; i < extra; i++)
                            raw |= (uint)source[ip + i] << (8 * i);
                        ip += extra;
                        if (raw >= int.MaxValue)
                            throw new InvalidDataException("Snappy literal too long");
                        literal = (int)raw + 1;
                    }
                    if (literal > source.Length - ip || literal > destination.Length - op)
                        throw Truncated();
                    source.Slice(ip, literal).CopyTo(destination[op..]);
                    ip += literal;
                    op += literal;
                    break;
                }
                case 1:
                {
                    if (ip >= source.Length)
                        throw Truncated();
                    var copyLength = ((tag >> 2) & 7) + 4;
                    var offset = ((tag >> 5) << 8) | source[ip++];
                    op = Copy(destination, op, offset, copyLength);
                    break;
                }
                case 2:
                {
                    if (ip + 2 > source.Length)
                        throw Truncated();
                    var offset = BinaryPrimitives.ReadUInt16LittleEndian(source[ip..]);
                    ip += 2;
                    op = Copy(destination, op, offset, (tag >> 2) + 1);
                    break;
                }
                default:
                {
                    if (ip + 4 > source.Length)
                        throw Truncated();
                    var offset = BinaryPrimitives.ReadUInt32LittleEndian(source[ip..]);
                    ip += 4;
                    if (offset > int.MaxValue)
                        throw new InvalidDataException("Snappy copy offset out of range");
                    op = Copy(destination, op, (int)offset, (tag >> 2) + 1);
                    break;
                }
            }
        }
        if (op != destination.Length)
            throw new InvalidDataException($"Snappy block decoded to {op} bytes, announced {destination.Length}");
    }

    private static int Copy(Span<byte> output, int op, int offset, int length)
    {
        if (offset == 0 || offset > op)
            throw new InvalidDataException("Snappy copy offset out of range");
        if (length > output.Length - op)
            throw new InvalidDataException("Snappy copy runs past the announced length");
        if (offset >= length)
        {
            output.Slice(op - offset, length).CopyTo(output[op..]);
        }
        else
        {
            // Overlapping copy: the source is the pattern being written, so it must go byte by byte.
            var from = op - offset;
            for (var i = 0; i < length; i++)
                output[op + i] = output[from + i];
        }
        return op + length;
    }

    private static int ReadPreamble(ReadOnlySpan<byte> source, out int position)
    {
        ulong length = 0;
        position = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (position >= source.Length)
                throw Truncated();
            var b = source[position++];
            length |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (length > int.MaxValue)
                    throw new InvalidDataException("Snappy block longer than 2 GB");
                return (int)length;
            }
        }
        throw new InvalidDataException("Snappy length preamble too long");
    }

    private static InvalidDataException Truncated() => new("Snappy block ends early");
}
