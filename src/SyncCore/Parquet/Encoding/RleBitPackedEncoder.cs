using System.Numerics;
using System.Runtime.CompilerServices;

namespace ReplicaSync.Parquet;

/// <summary>
/// Encodes values with the RLE/bit-packed hybrid: runs of 8 or more equal values become RLE runs, everything
/// else goes into bit-packed groups of 8 (only the final group is padded).
/// </summary>
internal static class RleBitPackedEncoder
{
    private const int MinRleRun = 8;

    public static void Encode(ReadOnlySpan<byte> values, int bitWidth, PooledBuffer output) => Encode<byte>(values, bitWidth, output);

    public static void Encode(ReadOnlySpan<int> values, int bitWidth, PooledBuffer output) => Encode<int>(values, bitWidth, output);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Encode<T>(ReadOnlySpan<T> values, int bitWidth, PooledBuffer output) where T : IBinaryInteger<T>
    {
        var valueBytes = (bitWidth + 7) / 8;
        var i = 0;
        while (i < values.Length)
        {
            var run = RunLength(values, i);
            if (run >= MinRleRun)
            {
                output.WriteVarint((ulong)run << 1);
                var value = ToUInt(values[i]);
                for (var b = 0; b < valueBytes; b++)
                    output.WriteByte((byte)(value >> (8 * b)));
                i += run;
                continue;
            }
            // Bit-pack groups of 8 until a long run starts at a group boundary or the values end.
            var start = i;
            do
            {
                i += 8;
            }
            while (i < values.Length && RunLength(values, i) < MinRleRun);
            var groups = (i - start) / 8;
            output.WriteVarint(((ulong)groups << 1) | 1);
            Pack(values[start..Math.Min(i, values.Length)], groups * 8, bitWidth, output);
        }
    }

    private static int RunLength<T>(ReadOnlySpan<T> values, int start) where T : IBinaryInteger<T>
    {
        var first = values[start];
        var end = start + 1;
        while (end < values.Length && values[end] == first)
            end++;
        return end - start;
    }

    private static void Pack<T>(ReadOnlySpan<T> values, int paddedCount, int bitWidth, PooledBuffer output) where T : IBinaryInteger<T>
    {
        var span = output.GetSpan(paddedCount * bitWidth / 8);
        ulong buffer = 0;
        var bits = 0;
        var op = 0;
        for (var i = 0; i < paddedCount; i++)
        {
            buffer |= (ulong)(i < values.Length ? ToUInt(values[i]) : 0) << bits;
            bits += bitWidth;
            while (bits >= 8)
            {
                span[op++] = (byte)buffer;
                buffer >>= 8;
                bits -= 8;
            }
        }
        output.Advance(op);
    }

    private static uint ToUInt<T>(T value) where T : IBinaryInteger<T> => uint.CreateTruncating(value);
}
