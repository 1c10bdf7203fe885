using System.Text;

namespace ReplicaSync.Parquet;

/// <summary>Writes the Thrift compact protocol into a <see cref="PooledBuffer"/>. Field ids must ascend within a struct.</summary>
internal sealed class CompactWriter(PooledBuffer output)
{
    private readonly Stack<short> _lastIds = new();
    private short _lastId;

    public void BeginStruct()
    {
        _lastIds.Push(_lastId);
        _lastId = 0;
    }

    public void EndStruct()
    {
        output.WriteByte((byte)CompactType.Stop);
        _lastId = _lastIds.Pop();
    }

    public void FieldI32(short id, int value)
    {
        FieldHeader(id, CompactType.I32);
        output.WriteVarint(ZigZag(value));
    }

    public void FieldI64(short id, long value)
    {
        FieldHeader(id, CompactType.I64);
        output.WriteVarint(ZigZag(value));
    }

    public void FieldByte(short id, byte value)
    {
        FieldHeader(id, CompactType.Byte);
        output.WriteByte(value);
    }

    public void FieldBool(short id, bool value) => FieldHeader(id, value ? CompactType.BooleanTrue : CompactType.BooleanFalse);

    public void FieldBinary(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(id, CompactType.Binary);
        Binary(value);
    }

    public void FieldString(short id, string value)
    {
        FieldHeader(id, CompactType.Binary);
        String(value);
    }

    /// <summary>Starts a struct-valued field; end it with <see cref="EndStruct"/>.</summary>
    public void FieldStruct(short id)
    {
        FieldHeader(id, CompactType.Struct);
        BeginStruct();
    }

    /// <summary>Starts a list-valued field; write exactly <paramref name="count"/> elements after it.</summary>
    public void FieldList(short id, CompactType elementType, int count)
    {
        FieldHeader(id, CompactType.List);
        if (count < 15)
        {
            output.WriteByte((byte)((count << 4) | (int)elementType));
        }
        else
        {
            output.WriteByte((byte)(0xF0 | (int)elementType));
            output.WriteVarint((ulong)count);
        }
    }

    public void I32(int value) => output.WriteVarint(ZigZag(value));

    public void String(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> scratch = max <= 256 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(value, scratch);
        Binary(scratch[..length]);
    }

    public void Binary(ReadOnlySpan<byte> value)
    {
        output.WriteVarint((ulong)value.Length);
        output.Write(value);
    }

    private void FieldHeader(short id, CompactType type)
    {
        var delta = id - _lastId;
        if (delta is > 0 and <= 15)
        {
            output.WriteByte((byte)((delta << 4) | (int)type));
        }
        else
        {
            output.WriteByte((byte)type);
            output.WriteVarint(ZigZag(id));
        }
        _lastId = id;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
