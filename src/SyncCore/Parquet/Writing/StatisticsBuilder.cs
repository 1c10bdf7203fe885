using System.Numerics;
using System.Text;

namespace ReplicaSync.Parquet;

/// <summary>
/// Computes a column chunk's statistics: null count, and min/max in the type's defined order (signed integers,
/// unsigned for UInt32/UInt64, IEEE order without NaN for floats, unsigned bytes for strings and binaries).
/// </summary>
internal static class StatisticsBuilder
{
    // Long values (stats JSON, paths) would bloat the footer for no pruning benefit, so such columns get no min/max.
    private const int MaxBoundBytes = 1024;

    /// <param name="distinct">For dictionary-encoded strings, the distinct values: min/max over them is the same and cheaper.</param>
    public static ChunkStatistics Build(ColumnData column, string[]? distinct)
    {
        var stats = new ChunkStatistics { NullCount = column.Count - column.ValueCount };
        var n = column.ValueCount;
        if (n == 0)
            return stats;
        var leaf = column.Leaf;
        switch (leaf.Type)
        {
            case PhysicalType.Boolean:
                var values = column.Booleans.AsSpan(0, n);
                stats.Min = [values.Contains(false) ? (byte)0 : (byte)1];
                stats.Max = [values.Contains(true) ? (byte)1 : (byte)0];
                break;
            case PhysicalType.Int32 when leaf.Logical == LogicalKind.UInt32:
                SetMinMax(column.Int32s.AsSpan(0, n), static (a, b) => ((uint)a).CompareTo((uint)b), BitConverter.GetBytes, stats);
                break;
            case PhysicalType.Int32:
                SetMinMax(column.Int32s.AsSpan(0, n), static (a, b) => a.CompareTo(b), BitConverter.GetBytes, stats);
                break;
            case PhysicalType.Int64 when leaf.Logical == LogicalKind.UInt64:
                SetMinMax(column.Int64s.AsSpan(0, n), static (a, b) => ((ulong)a).CompareTo((ulong)b), BitConverter.GetBytes, stats);
                break;
            case PhysicalType.Int64:
                SetMinMax(column.Int64s.AsSpan(0, n), static (a, b) => a.CompareTo(b), BitConverter.GetBytes, stats);
                break;
            case PhysicalType.Float:
                SetFloatingMinMax<float>(column.Floats.AsSpan(0, n), stats);
                break;
            case PhysicalType.Double:
                SetFloatingMinMax<double>(column.Doubles.AsSpan(0, n), stats);
                break;
            case PhysicalType.ByteArray when column.Strings is { } strings:
                ReadOnlySpan<string?> candidates = distinct is null ? strings.AsSpan(0, n) : distinct.AsSpan<string?>();
                SetMinMax(candidates, static (a, b) => CompareUtf8(a!, b!), static s => Encoding.UTF8.GetBytes(s!), stats);
                break;
            case PhysicalType.ByteArray or PhysicalType.FixedLenByteArray when leaf.Logical != LogicalKind.Decimal:
                // Binary decimals order as signed big-endian numbers, not bytes; they are left without bounds.
                SetMinMax(column.Binaries.AsSpan(0, n), static (a, b) => a.AsSpan().SequenceCompareTo(b), static b => b, stats);
                break;
        }
        if (stats.Min?.Length > MaxBoundBytes || stats.Max?.Length > MaxBoundBytes)
            (stats.Min, stats.Max) = (null, null);
        return stats;
    }

    /// <summary>Compares strings in the order of their UTF-8 bytes (UTF-16 order differs once surrogates are involved).</summary>
    public static int CompareUtf8(string a, string b)
    {
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
            return a.Length - b.Length;
        return CodePointOrder(a[common]) - CodePointOrder(b[common]);

        // Surrogates (code points above U+FFFF) must sort after U+E000..U+FFFF, as their UTF-8 bytes do.
        static int CodePointOrder(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    private static void SetMinMax<T>(ReadOnlySpan<T> values, Func<T, T, int> compare, Func<T, byte[]> encode, ChunkStatistics stats)
    {
        T min = values[0], max = values[0];
        for (var i = 1; i < values.Length; i++)
        {
            var v = values[i];
            if (compare(v, min) < 0)
                min = v;
            else if (compare(v, max) > 0)
                max = v;
        }
        stats.Min = encode(min);
        stats.Max = encode(max);
    }

    // The format asks for -0.0 as a zero minimum and +0.0 as a zero maximum, so either zero is covered; NaN is skipped.
    private static void SetFloatingMinMax<T>(ReadOnlySpan<T> values, ChunkStatistics stats)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T min = T.PositiveInfinity, max = T.NegativeInfinity;
        var any = false;
        foreach (var v in values)
        {
            if (T.IsNaN(v))
                continue;
            any = true;
            min = T.Min(min, v);
            max = T.Max(max, v);
        }
        if (!any)
            return;
        stats.Min = LittleEndianBytes(T.IsZero(min) ? T.NegativeZero : min);
        stats.Max = LittleEndianBytes(T.IsZero(max) ? T.Zero : max);
    }

    // PLAIN encoding of a float or double: its IEEE bytes, which on the little-endian machines .NET runs on are in order.
    private static byte[] LittleEndianBytes<T>(T value) where T : unmanaged, IFloatingPointIeee754<T> =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();
}
