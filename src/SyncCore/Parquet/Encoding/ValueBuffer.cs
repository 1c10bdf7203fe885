using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ReplicaSync.Parquet;

/// <summary>
/// Decoded values of one column chunk (or of its dictionary) in the typed array that fits the leaf. Pages append
/// to it; arrays grow geometrically up to the chunk's level count and are trimmed to the value count at the end.
/// </summary>
internal sealed class ValueBuffer
{
    private readonly SchemaNode _leaf;
    private readonly PhysicalType _type;
    private readonly bool _strings;
    private readonly int _limit;
    private readonly bool _exact;

    /// <param name="limit">The most values the buffer may hold.</param>
    /// <param name="exact">Whether exactly <paramref name="limit"/> values will come (a dictionary, a column without nulls), so the first allocation is the last.</param>
    public ValueBuffer(SchemaNode leaf, int limit, bool exact)
    {
        _leaf = leaf;
        _type = leaf.Type!.Value;
        _strings = ColumnData.IsStringLeaf(leaf);
        _limit = limit;
        _exact = exact;
    }

    public int Count { get; private set; }
    public bool[]? Booleans;
    public int[]? Int32s;
    public long[]? Int64s;
    public float[]? Floats;
    public double[]? Doubles;
    public string?[]? Strings;
    public byte[][]? Binaries;

    /// <summary>Decodes <paramref name="n"/> PLAIN values from the start of <paramref name="data"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AppendPlain(ReadOnlySpan<byte> data, int n)
    {
        // Check the count against the smallest encoding of n values before allocating for them.
        if ((long)n * MinPlainBits() > data.Length * 8L)
            throw new InvalidDataException($"{n} PLAIN values cannot fit in {data.Length} bytes");
        Reserve(n);
        switch (_type)
        {
            case PhysicalType.Boolean:
                if ((n + 7) / 8 > data.Length)
                    throw new InvalidDataException("PLAIN booleans end early");
                var bools = Booleans.AsSpan(Count, n);
                for (var i = 0; i < n; i++)
                    bools[i] = (data[i >> 3] & (1 << (i & 7))) != 0;
                break;
            case PhysicalType.Int32:
                CopyFixed(data, Int32s.AsSpan(Count, n));
                break;
            case PhysicalType.Int64:
                CopyFixed(data, Int64s.AsSpan(Count, n));
                break;
            case PhysicalType.Float:
                CopyFixed(data, Floats.AsSpan(Count, n));
                break;
            case PhysicalType.Double:
                CopyFixed(data, Doubles.AsSpan(Count, n));
                break;
            case PhysicalType.ByteArray when _strings:
                DecodeStrings(data, Strings.AsSpan(Count, n));
                break;
            case PhysicalType.ByteArray:
                DecodeByteArrays(data, Binaries.AsSpan(Count, n));
                break;
            default:
                DecodeFixedLength(data, _type == PhysicalType.Int96 ? 12 : _leaf.TypeLength, Binaries.AsSpan(Count, n));
                break;
        }
        Count += n;
    }

    /// <summary>Appends dictionary entries by index; string and binary entries are shared, not copied.</summary>
    public void AppendFromDictionary(ValueBuffer dictionary, ReadOnlySpan<int> indices)
    {
        var size = dictionary.Count;
        foreach (var index in indices)
        {
            if ((uint)index >= (uint)size)
                throw new InvalidDataException($"dictionary index {index} out of range (dictionary has {size} entries)");
        }
        Reserve(indices.Length);
        switch (_type)
        {
            case PhysicalType.Boolean: Gather(dictionary.Booleans!, indices, Booleans.AsSpan(Count)); break;
            case PhysicalType.Int32: Gather(dictionary.Int32s!, indices, Int32s.AsSpan(Count)); break;
            case PhysicalType.Int64: Gather(dictionary.Int64s!, indices, Int64s.AsSpan(Count)); break;
            case PhysicalType.Float: Gather(dictionary.Floats!, indices, Floats.AsSpan(Count)); break;
            case PhysicalType.Double: Gather(dictionary.Doubles!, indices, Doubles.AsSpan(Count)); break;
            default:
                if (_strings)
                    Gather(dictionary.Strings!, indices, Strings.AsSpan(Count));
                else
                    Gather(dictionary.Binaries!, indices, Binaries.AsSpan(Count));
                break;
        }
        Count += indices.Length;
    }

    /// <summary>Appends RLE-encoded booleans (bit width 1), as data pages v2 write them.</summary>
    public void AppendRleBooleans(ReadOnlySpan<byte> data, int n)
    {
        Reserve(n);
        var target = Booleans.AsSpan(Count, n);
        RleBitPackedDecoder.Decode(data, 1, MemoryMarshal.Cast<bool, byte>(target));
        Count += n;
    }

    /// <summary>Trims the arrays to <see cref="Count"/> and wraps them with the levels.</summary>
    public ColumnData ToColumn(int levelCount, byte[]? definitions, byte[]? repetitions) => new()
    {
        Leaf = _leaf,
        Count = levelCount,
        DefinitionLevels = definitions,
        RepetitionLevels = repetitions,
        ValueCount = Count,
        Booleans = Trim(Booleans),
        Int32s = Trim(Int32s),
        Int64s = Trim(Int64s),
        Floats = Trim(Floats),
        Doubles = Trim(Doubles),
        Strings = Trim(Strings),
        Binaries = Trim(Binaries),
    };

    private T[]? Trim<T>(T[]? array)
    {
        if (array is null && IsArrayFor<T>())
            return [];
        if (array is null || array.Length == Count)
            return array;
        Array.Resize(ref array, Count);
        return array;
    }

    private long MinPlainBits() => _type switch
    {
        PhysicalType.Boolean => 1,
        PhysicalType.Int32 or PhysicalType.Float or PhysicalType.ByteArray => 32, // a byte array is at least its length prefix
        PhysicalType.Int64 or PhysicalType.Double => 64,
        PhysicalType.Int96 => 96,
        _ => 8L * _leaf.TypeLength,
    };

    private bool IsArrayFor<T>() => _type switch
    {
        PhysicalType.Boolean => typeof(T) == typeof(bool),
        PhysicalType.Int32 => typeof(T) == typeof(int),
        PhysicalType.Int64 => typeof(T) == typeof(long),
        PhysicalType.Float => typeof(T) == typeof(float),
        PhysicalType.Double => typeof(T) == typeof(double),
        _ => _strings ? typeof(T) == typeof(string) : typeof(T) == typeof(byte[]),
    };

    private void Reserve(int n)
    {
        var needed = (long)Count + n;
        if (needed > _limit)
            throw new InvalidDataException($"more values than the column chunk's {_limit} entries");
        switch (_type)
        {
            case PhysicalType.Boolean: Grow(ref Booleans, (int)needed); break;
            case PhysicalType.Int32: Grow(ref Int32s, (int)needed); break;
            case PhysicalType.Int64: Grow(ref Int64s, (int)needed); break;
            case PhysicalType.Float: Grow(ref Floats, (int)needed); break;
            case PhysicalType.Double: Grow(ref Doubles, (int)needed); break;
            default:
                if (_strings)
                    Grow(ref Strings, (int)needed);
                else
                    Grow(ref Binaries, (int)needed);
                break;
        }
    }

    private void Grow<T>(ref T[]? array, int needed)
    {
        var capacity = array?.Length ?? 0;
        if (capacity >= needed)
            return;
        var next = _exact ? _limit : (int)Math.Max(needed, Math.Min(_limit, capacity * 2L));
        Array.Resize(ref array, next);
    }

    private static void CopyFixed<T>(ReadOnlySpan<byte> data, Span<T> target) where T : unmanaged
    {
        // PLAIN is little-endian, like every platform .NET runs this on, so values are a straight copy.
        var bytes = MemoryMarshal.AsBytes(target);
        if (bytes.Length > data.Length)
            throw new InvalidDataException("PLAIN values end early");
        data[..bytes.Length].CopyTo(bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DecodeStrings(ReadOnlySpan<byte> data, Span<string?> target)
    {
        var ip = 0;
        for (var i = 0; i < target.Length; i++)
        {
            var length = ReadLength(data, ref ip);
            target[i] = length == 0 ? string.Empty : Encoding.UTF8.GetString(data.Slice(ip, length));
            ip += length;
        }
    }

    private static void DecodeByteArrays(ReadOnlySpan<byte> data, Span<byte[]> target)
    {
        var ip = 0;
        for (var i = 0; i < target.Length; i++)
        {
            var length = ReadLength(data, ref ip);
            target[i] = data.Slice(ip, length).ToArray();
            ip += length;
        }
    }

    private static void DecodeFixedLength(ReadOnlySpan<byte> data, int width, Span<byte[]> target)
    {
        if ((long)width * target.Length > data.Length)
            throw new InvalidDataException("PLAIN fixed-length values end early");
        for (var i = 0; i < target.Length; i++)
            target[i] = data.Slice(i * width, width).ToArray();
    }

    private static int ReadLength(ReadOnlySpan<byte> data, ref int ip)
    {
        if (data.Length - ip < 4)
            throw new InvalidDataException("PLAIN byte array length runs past the page");
        var length = BinaryPrimitives.ReadUInt32LittleEndian(data[ip..]);
        ip += 4;
        if (length > (uint)(data.Length - ip))
            throw new InvalidDataException("PLAIN byte array runs past the page");
        return (int)length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather<T>(T[] dictionary, ReadOnlySpan<int> indices, Span<T> target)
    {
        for (var i = 0; i < indices.Length; i++)
            target[i] = dictionary[indices[i]];
    }
}
