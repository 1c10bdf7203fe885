using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ReplicaSync.Parquet;

/// <summary>Appends values in the PLAIN encoding: little-endian fixed-width values, bit-packed booleans, length-prefixed byte arrays.</summary>
internal static class PlainEncoder
{
    /// <summary>Encodes values [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of <paramref name="column"/>.</summary>
    public static void Encode(ColumnData column, int start, int count, PooledBuffer output)
    {
        var leaf = column.Leaf;
        switch (leaf.Type)
        {
            case PhysicalType.Boolean: EncodeBooleans(column.Booleans.AsSpan(start, count), output); break;
            case PhysicalType.Int32: output.Write(MemoryMarshal.AsBytes(column.Int32s.AsSpan(start, count))); break;
            case PhysicalType.Int64: output.Write(MemoryMarshal.AsBytes(column.Int64s.AsSpan(start, count))); break;
            case PhysicalType.Float: output.Write(MemoryMarshal.AsBytes(column.Floats.AsSpan(start, count))); break;
            case PhysicalType.Double: output.Write(MemoryMarshal.AsBytes(column.Doubles.AsSpan(start, count))); break;
            case PhysicalType.ByteArray when column.Strings is { } strings: EncodeStrings(leaf, strings.AsSpan(start, count), output); break;
            case PhysicalType.ByteArray:
                foreach (var bytes in column.Binaries.AsSpan(start, count))
                {
                    BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), NotNull(leaf, bytes).Length);
                    output.Advance(4);
                    output.Write(bytes);
                }
                break;
            default:
                var width = leaf.Type == PhysicalType.Int96 ? 12 : leaf.TypeLength;
                foreach (var bytes in column.Binaries.AsSpan(start, count))
                {
                    if (NotNull(leaf, bytes).Length != width)
                        throw new ArgumentException($"column {leaf}: a value of {bytes.Length} bytes where {width} are required");
                    output.Write(bytes);
                }
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void EncodeStrings(SchemaNode leaf, ReadOnlySpan<string?> strings, PooledBuffer output)
    {
        foreach (var s in strings)
        {
            // Encode straight into the buffer (sized for the worst case) and back-fill the length prefix.
            var span = output.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(NotNull(leaf, s).Length));
            var length = Encoding.UTF8.GetBytes(s, span[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(span, length);
            output.Advance(4 + length);
        }
    }

    private static void EncodeBooleans(ReadOnlySpan<bool> values, PooledBuffer output)
    {
        var span = output.GetSpan((values.Length + 7) / 8);
        span[..((values.Length + 7) / 8)].Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i])
                span[i >> 3] |= (byte)(1 << (i & 7));
        }
        output.Advance((values.Length + 7) / 8);
    }

    private static T NotNull<T>(SchemaNode leaf, T? value) where T : class =>
        value ?? throw new ArgumentException($"column {leaf}: a null among the values (nulls are expressed by definition levels)");
}
