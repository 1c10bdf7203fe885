namespace ReplicaSync.Parquet;

/// <summary>Decodes page headers (data v1/v2, dictionary) from Thrift; other page types keep only their sizes so they can be skipped.</summary>
internal static class PageHeaderReader
{
    public static PageHeader Read(ref CompactReader r)
    {
        var page = new PageHeader { Type = (PageType)(-1), UncompressedSize = -1, CompressedSize = -1 };
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: page.Type = (PageType)r.ReadI32(); break;
                case 2 when type == CompactType.I32: page.UncompressedSize = r.ReadI32(); break;
                case 3 when type == CompactType.I32: page.CompressedSize = r.ReadI32(); break;
                case 5 when type == CompactType.Struct: page.DataPage = ReadDataPageHeader(ref r); break;
                case 7 when type == CompactType.Struct: page.DictionaryPage = ReadDictionaryPageHeader(ref r); break;
                case 8 when type == CompactType.Struct: page.DataPageV2 = ReadDataPageHeaderV2(ref r); break;
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        if (page.UncompressedSize < 0 || page.CompressedSize < 0)
            throw r.Corrupt("page header lacks its sizes or has negative ones");
        return page;
    }

    private static DataPageHeader ReadDataPageHeader(ref CompactReader r)
    {
        var header = new DataPageHeader { NumValues = -1 };
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: header.NumValues = r.ReadI32(); break;
                case 2 when type == CompactType.I32: header.Encoding = r.ReadI32(); break;
                case 3 when type == CompactType.I32: header.DefinitionLevelEncoding = r.ReadI32(); break;
                case 4 when type == CompactType.I32: header.RepetitionLevelEncoding = r.ReadI32(); break;
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        if (header.NumValues < 0)
            throw r.Corrupt("data page header lacks num_values");
        return header;
    }

    private static DataPageHeaderV2 ReadDataPageHeaderV2(ref CompactReader r)
    {
        var header = new DataPageHeaderV2 { NumValues = -1, DefinitionLevelsLength = -1, RepetitionLevelsLength = -1 };
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: header.NumValues = r.ReadI32(); break;
                case 2 when type == CompactType.I32: header.NumNulls = r.ReadI32(); break;
                case 3 when type == CompactType.I32: header.NumRows = r.ReadI32(); break;
                case 4 when type == CompactType.I32: header.Encoding = r.ReadI32(); break;
                case 5 when type == CompactType.I32: header.DefinitionLevelsLength = r.ReadI32(); break;
                case 6 when type == CompactType.I32: header.RepetitionLevelsLength = r.ReadI32(); break;
                case 7 when type is CompactType.BooleanTrue or CompactType.BooleanFalse: header.IsCompressed = type == CompactType.BooleanTrue; break;
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        if (header.NumValues < 0 || header.DefinitionLevelsLength < 0 || header.RepetitionLevelsLength < 0)
            throw r.Corrupt("data page v2 header lacks its counts or has negative ones");
        return header;
    }

    private static DictionaryPageHeader ReadDictionaryPageHeader(ref CompactReader r)
    {
        var header = new DictionaryPageHeader { NumValues = -1 };
        var last = r.BeginStruct();
        while (r.ReadField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: header.NumValues = r.ReadI32(); break;
                case 2 when type == CompactType.I32: header.Encoding = r.ReadI32(); break;
                default: r.Skip(type); break;
            }
        }
        r.EndStruct();
        if (header.NumValues < 0)
            throw r.Corrupt("dictionary page header lacks num_values");
        return header;
    }
}
