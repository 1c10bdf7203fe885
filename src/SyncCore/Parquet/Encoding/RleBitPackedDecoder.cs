using System.Numerics;
using System.Runtime.CompilerServices;

namespace ReplicaSync.Parquet;

/// <summary>
/// Decodes Parquet's RLE/bit-packed hybrid encoding (levels, dictionary indices, RLE booleans): runs of
/// <c>varint(count &lt;&lt; 1)</c> + one value, or <c>varint(groups &lt;&lt; 1 | 1)</c> + groups×8 values packed LSB first.
/// </summary>
internal static class RleBitPackedDecoder
{
    /// <summary>Fills <paramref name="output"/> entirely; throws <see cref="InvalidDataException"/> when the data ends first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Decode<T>(ReadOnlySpan<byte> data, int bitWidth, Span<T> output) where T : IBinaryInteger<T>
    {
        if (bitWidth is < 0 or > 32)
            throw new InvalidDataException($"bit width {bitWidth} out of range");
        var valueBytes = (bitWidth + 7) / 8;
        var mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
        var ip = 0;
        var op = 0;
        while (op < output.Length)
        {
            var header = ReadVarint(data, ref ip);
            if ((header & 1) == 0)
            {
                var count = header >> 1;
                if (ip + valueBytes > data.Length)
                    throw new InvalidDataException("RLE run ends early");
                var value = 0u;
                for (var i = 0; i < valueBytes; i++)
                    value |= (uint)data[ip + i] << (8 * i);
                ip += valueBytes;
                if ((value & ~mask) != 0)
                    throw new InvalidDataException("RLE value wider than its bit width");
                var take = (int)Math.Min(count, (ulong)(output.Length - op));
                output.Slice(op, take).Fill(T.CreateTruncating(value));
                op += take;
            }
            else
            {
                // Checked by division first: a forged group count must not overflow the byte count.
                var groups = header >> 1;
                if (bitWidth > 0 && groups > (ulong)(data.Length - ip) / (ulong)bitWidth)
                    throw new InvalidDataException("bit-packed run ends early");
                var bytes = (int)(groups * (ulong)bitWidth);
                var remaining = output.Length - op;
                var values = groups >= (ulong)remaining ? remaining : (int)Math.Min(groups * 8, (ulong)remaining);
                Unpack(data.Slice(ip, bytes), bitWidth, mask, output.Slice(op, values));
                ip += bytes;
                op += values;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Unpack<T>(ReadOnlySpan<byte> packed, int bitWidth, uint mask, Span<T> output) where T : IBinaryInteger<T>
    {
        if (bitWidth == 0)
        {
            output.Clear();
            return;
        }
        ulong buffer = 0;
        var bits = 0;
        var ip = 0;
        for (var i = 0; i < output.Length; i++)
        {
            while (bits < bitWidth)
            {
                buffer |= (ulong)packed[ip++] << bits;
                bits += 8;
            }
            output[i] = T.CreateTruncating((uint)buffer & mask);
            buffer >>= bitWidth;
            bits -= bitWidth;
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int ip)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (ip >= data.Length)
                throw new InvalidDataException("RLE data ends early");
            var b = data[ip++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return result;
        }
        throw new InvalidDataException("RLE run header too long");
    }

    /// <summary>The number of bits needed for values up to <paramref name="maxValue"/>.</summary>
    public static int BitWidth(int maxValue) => maxValue == 0 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)maxValue);
}
