using System.Buffers.Binary;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace ReplicaSync.Parquet;

/// <summary>
/// A greedy Snappy block compressor: input is cut into 64 KiB fragments, each scanned with a hash table of
/// 4-byte sequences; matches become back-references and the rest literals. Output is the raw block format.
/// </summary>
internal static class SnappyCompressor
{
    private const int FragmentSize = 1 << 16;
    private const int HashBits = 14;
    // Below this, a fragment is not worth hashing; the scan also stops this far from the fragment's end so
    // 4-byte loads never run past it.
    private const int MinMatchInput = 15;

    /// <summary>An upper bound on the compressed size of <paramref name="length"/> bytes (literal overhead plus preamble).</summary>
    public static int MaxCompressedLength(int length) => 32 + length + length / 6;

    /// <summary>Compresses into <paramref name="destination"/> (at least <see cref="MaxCompressedLength"/> bytes) and returns the bytes written.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < MaxCompressedLength(source.Length))
            throw new ArgumentException("destination is smaller than MaxCompressedLength", nameof(destination));
        var op = WriteVarint(destination, (uint)source.Length);
        var table = ArrayPool<ushort>.Shared.Rent(1 << HashBits);
        try
        {
            for (var start = 0; start < source.Length; start += FragmentSize)
            {
                var fragment = source.Slice(start, Math.Min(FragmentSize, source.Length - start));
                op = CompressFragment(fragment, destination, op, table.AsSpan(0, 1 << HashBits));
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(table);
        }
        return op;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CompressFragment(ReadOnlySpan<byte> input, Span<byte> output, int op, Span<ushort> table)
    {
        var nextEmit = 0;
        if (input.Length >= MinMatchInput)
        {
            table.Clear();
            var limit = input.Length - MinMatchInput;
            var ip = 1;
            // After 32 misses in a row, look at every 2nd byte, then every 3rd...: incompressible data goes fast.
            var skip = 32;
            while (ip < limit)
            {
                var current = BinaryPrimitives.ReadUInt32LittleEndian(input[ip..]);
                var hash = Hash(current);
                int candidate = table[hash];
                table[hash] = (ushort)ip;
                if (candidate >= ip || BinaryPrimitives.ReadUInt32LittleEndian(input[candidate..]) != current)
                {
                    ip += skip++ >> 5;
                    continue;
                }
                op = EmitLiteral(input[nextEmit..ip], output, op);
                var matched = 4 + input[(candidate + 4)..].CommonPrefixLength(input[(ip + 4)..]);
                op = EmitCopy(output, op, ip - candidate, matched);
                ip += matched;
                nextEmit = ip;
                skip = 32;
                if (ip < limit)
                {
                    // Remember the position just before the resumed scan so a run continuing right after a match is found.
                    table[Hash(BinaryPrimitives.ReadUInt32LittleEndian(input[(ip - 1)..]))] = (ushort)(ip - 1);
                }
            }
        }
        return nextEmit < input.Length ? EmitLiteral(input[nextEmit..], output, op) : op;
    }

    private static int Hash(uint bytes) => (int)((bytes * 0x1E35A7BDu) >> (32 - HashBits));

    private static int EmitLiteral(ReadOnlySpan<byte> literal, Span<byte> output, int op)
    {
        if (literal.IsEmpty)
            return op;
        var n = (uint)(literal.Length - 1);
        if (n < 60)
        {
            output[op++] = (byte)(n << 2);
        }
        else
        {
            var extra = n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4;
            output[op++] = (byte)((59 + extra) << 2);
            for (var i = 0; i < extra; i++)
                output[op++] = (byte)(n >> (8 * i));
        }
        literal.CopyTo(output[op..]);
        return op + literal.Length;
    }

    // Copies are at most 64 bytes; longer matches are split, keeping every piece at least 4 bytes long.
    private static int EmitCopy(Span<byte> output, int op, int offset, int length)
    {
        while (length >= 68)
        {
            op = EmitCopyUpTo64(output, op, offset, 64);
            length -= 64;
        }
        if (length > 64)
        {
            op = EmitCopyUpTo64(output, op, offset, 60);
            length -= 60;
        }
        return EmitCopyUpTo64(output, op, offset, length);
    }

    private static int EmitCopyUpTo64(Span<byte> output, int op, int offset, int length)
    {
        if (length < 12 && offset < 2048)
        {
            output[op++] = (byte)(1 | ((length - 4) << 2) | ((offset >> 8) << 5));
            output[op++] = (byte)offset;
        }
        else
        {
            output[op++] = (byte)(2 | ((length - 1) << 2));
            BinaryPrimitives.WriteUInt16LittleEndian(output[op..], (ushort)offset);
            op += 2;
        }
        return op;
    }

    private static int WriteVarint(Span<byte> output, uint value)
    {
        var op = 0;
        while (value >= 0x80)
        {
            output[op++] = (byte)(value | 0x80);
            value >>= 7;
        }
        output[op++] = (byte)value;
        return op;
    }
}
