namespace ReplicaSync.Parquet;

/// <summary>
/// Decodes the footer (FileMetaData) from Thrift. Fields are matched by id and wire type; anything else,
/// including fields added by newer writers, is skipped.
/// </summary>
internal static class MetadataReader
{
    public static FileMetaData ReadFileMetaData(ref CompactReader r)
    {
        var meta = new FileMetaData();
        bool hasSchema = false, hasRows = false;
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: meta.Version = r.ReadI32(); break;
                case 2 when type == CompactType.List:
                    for (var n = ListOf(ref r, CompactType.Struct); n > 0; n--)
                        meta.Schema.Add(ReadSchemaElement(ref r));
                    hasSchema = true;
                    break;
                case 3 when type == CompactType.I64: meta.NumRows = r.ReadI64(); hasRows = true; break;
                case 4 when type == CompactType.List:
                    for (var n = ListOf(ref r, CompactType.Struct); n > 0; n--)
                        meta.RowGroups.Add(ReadRowGroup(ref r));
                    break;
                case 5 when type == CompactType.List:
                    for (var n = ListOf(ref r, CompactType.Struct); n > 0; n--)
                        ReadKeyValue(ref r, meta.KeyValues);
                    break;
                case 6 when type == CompactType.Binary: meta.CreatedBy = r.ReadString(); break;
                // 8 and 9 exist only in files with encrypted footers signed in plaintext; their columns cannot be read.
                case 8 or 9: throw ParquetException.Unsupported(r.File, "encrypted columns");
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        if (!hasSchema || !hasRows || meta.Schema.Count == 0)
            throw r.Corrupt("footer lacks the schema or the row count");
        return meta;
    }

    private static SchemaElement ReadSchemaElement(ref CompactReader r)
    {
        var element = new SchemaElement();
        var hasName = false;
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: element.Type = PhysicalTypeOf(ref r, r.ReadI32()); break;
                case 2 when type == CompactType.I32: element.TypeLength = r.ReadI32(); break;
                case 3 when type == CompactType.I32:
                    var repetition = r.ReadI32();
                    if (repetition is < 0 or > 2)
                        throw r.Corrupt($"unknown repetition {repetition}");
                    element.Repetition = (Repetition)repetition;
                    break;
                case 4 when type == CompactType.Binary: element.Name = r.ReadString(); hasName = true; break;
                case 5 when type == CompactType.I32: element.NumChildren = r.ReadI32(); break;
                case 6 when type == CompactType.I32: element.Converted = (ConvertedType)r.ReadI32(); break;
                case 7 when type == CompactType.I32: element.Scale = r.ReadI32(); break;
                case 8 when type == CompactType.I32: element.Precision = r.ReadI32(); break;
                case 9 when type == CompactType.I32: element.FieldId = r.ReadI32(); break;
                case 10 when type == CompactType.Struct: element.Logical = ReadLogicalType(ref r); break;
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        if (!hasName)
            throw r.Corrupt("schema element without a name");
        return element;
    }

    private static PhysicalType PhysicalTypeOf(ref CompactReader r, int code) =>
        code is >= 0 and <= 7 ? (PhysicalType)code : throw r.Corrupt($"unknown physical type {code}");

    // LogicalType is a union: exactly one field, each a struct (most of them empty).
    private static LogicalAnnotation ReadLogicalType(ref CompactReader r)
    {
        var result = new LogicalAnnotation(LogicalKind.None, Known: false);
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            if (type != CompactType.Struct)
            {
                r.Skip(type);
                continue;
            }
            result = id switch
            {
                1 => Empty(ref r, LogicalKind.String),
                2 => Empty(ref r, LogicalKind.Map),
                3 => Empty(ref r, LogicalKind.List),
                4 => Empty(ref r, LogicalKind.Enum),
                5 => ReadDecimal(ref r),
                6 => Empty(ref r, LogicalKind.Date),
                8 => ReadTimestamp(ref r),
                10 => ReadInteger(ref r),
                12 => Empty(ref r, LogicalKind.Json),
                _ => SkipUnknown(ref r),
            };
        }
        r.EndStruct();
        return result;

        static LogicalAnnotation Empty(ref CompactReader r, LogicalKind kind)
        {
            r.SkipStruct();
            return new LogicalAnnotation(kind, Known: true);
        }

        static LogicalAnnotation SkipUnknown(ref CompactReader r)
        {
            r.SkipStruct();
            return new LogicalAnnotation(LogicalKind.None, Known: false);
        }
    }

    private static LogicalAnnotation ReadDecimal(ref CompactReader r)
    {
        int scale = 0, precision = 0;
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: scale = r.ReadI32(); break;
                case 2 when type == CompactType.I32: precision = r.ReadI32(); break;
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        return new LogicalAnnotation(LogicalKind.Decimal, Known: true, Scale: scale, Precision: precision);
    }

    private static LogicalAnnotation ReadTimestamp(ref CompactReader r)
    {
        var utc = true;
        var kind = LogicalKind.None;
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            if (id == 1 && type is CompactType.BooleanTrue or CompactType.BooleanFalse)
            {
                utc = type == CompactType.BooleanTrue;
            }
            else if (id == 2 && type == CompactType.Struct)
            {
                // TimeUnit union: 1 MILLIS, 2 MICROS, 3 NANOS, each an empty struct.
                var unitLast = r.BeginStruct();
                while (r.ReadField(ref unitLast, out var unit, out var unitType))
                {
                    kind = unit switch { 1 => LogicalKind.TimestampMillis, 2 => LogicalKind.TimestampMicros, 3 => LogicalKind.TimestampNanos, _ => kind };
                    r.Skip(unitType);
                }
                r.EndStruct();
            }
            else
            {
                r.Skip(type);
            }
        }
        r.EndStruct();
        return new LogicalAnnotation(kind, Known: kind != LogicalKind.None, IsAdjustedToUtc: utc);
    }

    private static LogicalAnnotation ReadInteger(ref CompactReader r)
    {
        int bits = 0;
        var signed = true;
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            if (id == 1 && type == CompactType.Byte)
                bits = (sbyte)r.ReadByte();
            else if (id == 2 && type is CompactType.BooleanTrue or CompactType.BooleanFalse)
                signed = type == CompactType.BooleanTrue;
            else
                r.Skip(type);
        }
        r.EndStruct();
        var kind = (bits, signed) switch
        {
            (8, true) => LogicalKind.Int8,
            (16, true) => LogicalKind.Int16,
            (8, false) => LogicalKind.UInt8,
            (16, false) => LogicalKind.UInt16,
            (32, false) => LogicalKind.UInt32,
            (64, false) => LogicalKind.UInt64,
            _ => LogicalKind.None, // signed 32/64-bit integers are the physical types themselves
        };
        return new LogicalAnnotation(kind, Known: true);
    }

    private static RowGroupMeta ReadRowGroup(ref CompactReader r)
    {
        var group = new RowGroupMeta();
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.List:
                    for (var n = ListOf(ref r, CompactType.Struct); n > 0; n--)
                        group.Columns.Add(ReadColumnChunk(ref r));
                    break;
                case 2 when type == CompactType.I64: group.TotalByteSize = r.ReadI64(); break;
                case 3 when type == CompactType.I64: group.NumRows = r.ReadI64(); break;
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        return group;
    }

    private static ColumnChunkMeta ReadColumnChunk(ref CompactReader r)
    {
        var chunk = new ColumnChunkMeta();
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.Binary: chunk.FilePath = r.ReadString(); break;
                case 2 when type == CompactType.I64: chunk.FileOffset = r.ReadI64(); break;
                case 3 when type == CompactType.Struct: chunk.Meta = ReadColumnMetaData(ref r); break;
                case 8 or 9: throw ParquetException.Unsupported(r.File, "encrypted columns");
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        return chunk;
    }

    private static ColumnMetaData ReadColumnMetaData(ref CompactReader r)
    {
        var meta = new ColumnMetaData();
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: meta.Type = PhysicalTypeOf(ref r, r.ReadI32()); break;
                case 2 when type == CompactType.List:
                    for (var n = ListOf(ref r, CompactType.I32); n > 0; n--)
                        meta.Encodings.Add(r.ReadI32());
                    break;
                case 3 when type == CompactType.List:
                    for (var n = ListOf(ref r, CompactType.Binary); n > 0; n--)
                        meta.Path.Add(r.ReadString());
                    break;
                case 4 when type == CompactType.I32: meta.Codec = r.ReadI32(); break;
                case 5 when type == CompactType.I64: meta.NumValues = r.ReadI64(); break;
                case 6 when type == CompactType.I64: meta.TotalUncompressedSize = r.ReadI64(); break;
                case 7 when type == CompactType.I64: meta.TotalCompressedSize = r.ReadI64(); break;
                case 9 when type == CompactType.I64: meta.DataPageOffset = r.ReadI64(); break;
                case 11 when type == CompactType.I64: meta.DictionaryPageOffset = r.ReadI64(); break;
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        return meta;
    }

    private static void ReadKeyValue(ref CompactReader r, Dictionary<string, string> into)
    {
        string? key = null, value = null;
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.Binary: key = r.ReadString(); break;
                case 2 when type == CompactType.Binary: value = r.ReadString(); break;
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        if (key is null)
            throw r.Corrupt("key/value metadata without a key");
        into[key] = value ?? "";
    }

    internal static int ListOf(ref CompactReader r, CompactType expected)
    {
        var count = r.ReadListHeader(out var elementType);
        if (count > 0 && elementType != expected)
            throw r.Corrupt($"Thrift list of {elementType} where {expected} was expected");
        return count;
    }
}
