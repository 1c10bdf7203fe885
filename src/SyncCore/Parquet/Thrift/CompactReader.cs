using System.Text;

namespace ReplicaSync.Parquet;

/// <summary>
/// Reads the Thrift compact protocol that Parquet footers and page headers use. Every length and count is checked
/// against the bytes left, and nesting is capped, so hostile input fails with <see cref="ParquetException"/>.
/// </summary>
internal ref struct CompactReader(ReadOnlySpan<byte> data, string file)
{
    // Real footers nest a handful of structs deep; the cap keeps a crafted one from overflowing the stack.
    private const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _depth;

    public int Position { get; private set; }
    public readonly string File => file;

    /// <summary>Enters a struct; returns the "last field id" the caller threads through <see cref="ReadField"/>.</summary>
    public short BeginStruct()
    {
        if (++_depth > MaxDepth)
            throw Corrupt("Thrift structures nested too deeply");
        return 0;
    }

    public void EndStruct() => _depth--;

    /// <summary>Reads a field header; false at the struct's stop byte. Booleans carry their value in the type.</summary>
    public bool ReadField(ref short lastId, out short id, out CompactType type)
    {
        var header = ReadByte();
        type = (CompactType)(header & 0x0F);
        if (type == CompactType.Stop)
        {
            id = 0;
            return false;
        }
        var delta = header >> 4;
        if (delta != 0)
        {
            id = (short)(lastId + delta);
        }
        else
        {
            var explicitId = ReadZigZag64();
            if (explicitId is < short.MinValue or > short.MaxValue)
                throw Corrupt("Thrift field id out of range");
            id = (short)explicitId;
        }
        lastId = id;
        return true;
    }

    public byte ReadByte()
    {
        if (Position >= _data.Length)
            throw Corrupt("Thrift data ends early");
        return _data[Position++];
    }

    public int ReadI32()
    {
        var value = ReadZigZag64();
        if (value is < int.MinValue or > int.MaxValue)
            throw Corrupt("Thrift i32 out of range");
        return (int)value;
    }

    public long ReadI64() => ReadZigZag64();

    public ReadOnlySpan<byte> ReadBinary()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - Position))
            throw Corrupt("Thrift binary longer than the data");
        return Take((int)length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBinary());

    /// <summary>Reads a list or set header; the count is at most the bytes left, since every element takes one.</summary>
    public int ReadListHeader(out CompactType elementType)
    {
        var header = ReadByte();
        elementType = (CompactType)(header & 0x0F);
        var size = (ulong)(header >> 4);
        if (size == 15)
            size = ReadVarint();
        if (size > (ulong)(_data.Length - Position))
            throw Corrupt("Thrift list longer than the data");
        return (int)size;
    }

    public void Skip(CompactType type)
    {
        switch (type)
        {
            case CompactType.BooleanTrue or CompactType.BooleanFalse:
                return;
            case CompactType.Byte:
                ReadByte();
                return;
            case CompactType.I16 or CompactType.I32 or CompactType.I64:
                ReadVarint();
                return;
            case CompactType.Double:
                Take(8);
                return;
            case CompactType.Binary:
                ReadBinary();
                return;
            case CompactType.List or CompactType.Set:
                SkipList();
                return;
            case CompactType.Map:
                SkipMap();
                return;
            case CompactType.Struct:
                SkipStruct();
                return;
            default:
                throw Corrupt($"unknown Thrift type {(int)type}");
        }
    }

    public void SkipStruct()
    {
        var last = BeginStruct();
        while (ReadField(ref last, out _, out var type))
            Skip(type);
        EndStruct();
    }

    public readonly ParquetException Corrupt(string what) => ParquetException.Corrupt(file, what);

    private void SkipList()
    {
        var count = ReadListHeader(out var elementType);
        if (++_depth > MaxDepth)
            throw Corrupt("Thrift structures nested too deeply");
        for (var i = 0; i < count; i++)
        {
            // Booleans inside lists take a byte each, unlike booleans in fields.
            if (elementType is CompactType.BooleanTrue or CompactType.BooleanFalse)
                ReadByte();
            else
                Skip(elementType);
        }
        _depth--;
    }

    private void SkipMap()
    {
        var count = ReadVarint();
        if (count == 0)
            return;
        if (count > (ulong)(_data.Length - Position))
            throw Corrupt("Thrift map longer than the data");
        var types = ReadByte();
        if (++_depth > MaxDepth)
            throw Corrupt("Thrift structures nested too deeply");
        for (var i = 0UL; i < count; i++)
        {
            SkipMapElement((CompactType)(types >> 4));
            SkipMapElement((CompactType)(types & 0x0F));
        }
        _depth--;
    }

    private void SkipMapElement(CompactType type)
    {
        if (type is CompactType.BooleanTrue or CompactType.BooleanFalse)
            ReadByte();
        else
            Skip(type);
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > _data.Length - Position)
            throw Corrupt("Thrift data ends early");
        var span = _data.Slice(Position, length);
        Position += length;
        return span;
    }

    private ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return result;
        }
        throw Corrupt("Thrift varint too long");
    }

    private long ReadZigZag64()
    {
        var raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }
}
