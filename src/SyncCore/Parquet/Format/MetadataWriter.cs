namespace ReplicaSync.Parquet;

/// <summary>Encodes the footer and page headers as Thrift compact structures.</summary>
internal static class MetadataWriter
{
    public static void WriteFileMetaData(CompactWriter w, FileMetaData meta, int leafCount)
    {
        w.BeginStruct();
        w.FieldI32(1, meta.Version);
        w.FieldList(2, CompactType.Struct, meta.Schema.Count);
        foreach (var element in meta.Schema)
            WriteSchemaElement(w, element);
        w.FieldI64(3, meta.NumRows);
        w.FieldList(4, CompactType.Struct, meta.RowGroups.Count);
        foreach (var group in meta.RowGroups)
            WriteRowGroup(w, group);
        if (meta.KeyValues.Count > 0)
        {
            w.FieldList(5, CompactType.Struct, meta.KeyValues.Count);
            foreach (var (key, value) in meta.KeyValues)
            {
                w.BeginStruct();
                w.FieldString(1, key);
                w.FieldString(2, value);
                w.EndStruct();
            }
        }
        if (meta.CreatedBy is not null)
            w.FieldString(6, meta.CreatedBy);
        // column_orders: TYPE_DEFINED_ORDER for every leaf tells readers that min_value/max_value use the
        // type's natural order (unsigned bytes for strings), so they may trust the statistics.
        w.FieldList(7, CompactType.Struct, leafCount);
        for (var i = 0; i < leafCount; i++)
        {
            w.BeginStruct();
            w.FieldStruct(1);
            w.EndStruct();
            w.EndStruct();
        }
        w.EndStruct();
    }

    public static void WritePageHeader(CompactWriter w, PageHeader page)
    {
        w.BeginStruct();
        w.FieldI32(1, (int)page.Type);
        w.FieldI32(2, page.UncompressedSize);
        w.FieldI32(3, page.CompressedSize);
        if (page.DataPage is { } data)
        {
            w.FieldStruct(5);
            w.FieldI32(1, data.NumValues);
            w.FieldI32(2, data.Encoding);
            w.FieldI32(3, data.DefinitionLevelEncoding);
            w.FieldI32(4, data.RepetitionLevelEncoding);
            w.EndStruct();
        }
        if (page.DictionaryPage is { } dictionary)
        {
            w.FieldStruct(7);
            w.FieldI32(1, dictionary.NumValues);
            w.FieldI32(2, dictionary.Encoding);
            w.EndStruct();
        }
        w.EndStruct();
    }

    private static void WriteSchemaElement(CompactWriter w, SchemaElement e)
    {
        w.BeginStruct();
        if (e.Type is { } type)
            w.FieldI32(1, (int)type);
        if (e.TypeLength > 0)
            w.FieldI32(2, e.TypeLength);
        if (e.Repetition is { } repetition)
            w.FieldI32(3, (int)repetition);
        w.FieldString(4, e.Name);
        if (e.Type is null)
            w.FieldI32(5, e.NumChildren);
        if (e.Converted is { } converted)
            w.FieldI32(6, (int)converted);
        if (e.Logical is { Kind: LogicalKind.Decimal })
        {
            w.FieldI32(7, e.Scale);
            w.FieldI32(8, e.Precision);
        }
        if (e.FieldId is { } fieldId)
            w.FieldI32(9, fieldId);
        if (e.Logical is { Known: true } logical)
            WriteLogicalType(w, logical);
        w.EndStruct();
    }

    private static void WriteLogicalType(CompactWriter w, LogicalAnnotation logical)
    {
        w.FieldStruct(10);
        switch (logical.Kind)
        {
            case LogicalKind.String: Empty(w, 1); break;
            case LogicalKind.Map: Empty(w, 2); break;
            case LogicalKind.List: Empty(w, 3); break;
            case LogicalKind.Enum: Empty(w, 4); break;
            case LogicalKind.Decimal:
                w.FieldStruct(5);
                w.FieldI32(1, logical.Scale);
                w.FieldI32(2, logical.Precision);
                w.EndStruct();
                break;
            case LogicalKind.Date: Empty(w, 6); break;
            case LogicalKind.TimestampMillis or LogicalKind.TimestampMicros or LogicalKind.TimestampNanos:
                w.FieldStruct(8);
                w.FieldBool(1, logical.IsAdjustedToUtc);
                w.FieldStruct(2);
                Empty(w, logical.Kind switch { LogicalKind.TimestampMillis => 1, LogicalKind.TimestampMicros => 2, _ => 3 });
                w.EndStruct();
                w.EndStruct();
                break;
            case LogicalKind.Int8 or LogicalKind.Int16 or LogicalKind.UInt8 or LogicalKind.UInt16 or LogicalKind.UInt32 or LogicalKind.UInt64:
                w.FieldStruct(10);
                w.FieldByte(1, logical.Kind switch
                {
                    LogicalKind.Int8 or LogicalKind.UInt8 => 8,
                    LogicalKind.Int16 or LogicalKind.UInt16 => 16,
                    LogicalKind.UInt32 => 32,
                    _ => 64,
                });
                w.FieldBool(2, logical.Kind is LogicalKind.Int8 or LogicalKind.Int16);
                w.EndStruct();
                break;
            case LogicalKind.Json: Empty(w, 12); break;
            default: throw new InvalidOperationException($"no LogicalType for {logical.Kind}");
        }
        w.EndStruct();

        static void Empty(CompactWriter w, short id)
        {
            w.FieldStruct(id);
            w.EndStruct();
        }
    }

    private static void WriteRowGroup(CompactWriter w, RowGroupMeta group)
    {
        w.BeginStruct();
        w.FieldList(1, CompactType.Struct, group.Columns.Count);
        foreach (var chunk in group.Columns)
        {
            w.BeginStruct();
            w.FieldI64(2, chunk.FileOffset);
            w.FieldStruct(3);
            WriteColumnMetaData(w, chunk.Meta!);
            w.EndStruct();
            w.EndStruct();
        }
        w.FieldI64(2, group.TotalByteSize);
        w.FieldI64(3, group.NumRows);
        w.EndStruct();
    }

    // Called inside the ColumnChunk's meta_data struct, which the caller opened.
    private static void WriteColumnMetaData(CompactWriter w, ColumnMetaData meta)
    {
        w.FieldI32(1, (int)meta.Type);
        w.FieldList(2, CompactType.I32, meta.Encodings.Count);
        foreach (var encoding in meta.Encodings)
            w.I32(encoding);
        w.FieldList(3, CompactType.Binary, meta.Path.Count);
        foreach (var name in meta.Path)
            w.String(name);
        w.FieldI32(4, meta.Codec);
        w.FieldI64(5, meta.NumValues);
        w.FieldI64(6, meta.TotalUncompressedSize);
        w.FieldI64(7, meta.TotalCompressedSize);
        w.FieldI64(9, meta.DataPageOffset);
        if (meta.DictionaryPageOffset is { } dictionaryOffset)
            w.FieldI64(11, dictionaryOffset);
        if (meta.Statistics is { } stats)
        {
            w.FieldStruct(12);
            w.FieldI64(3, stats.NullCount);
            if (stats.Max is not null)
                w.FieldBinary(5, stats.Max);
            if (stats.Min is not null)
                w.FieldBinary(6, stats.Min);
            w.EndStruct();
        }
    }
}
