using System.Buffers.Binary;

namespace ReplicaSync.Parquet;

/// <summary>
/// Encodes one column chunk into memory: an optional dictionary page, then v1 data pages that end on row
/// boundaries once their values reach the target page size. Offsets in the metadata are relative to the chunk;
/// the file writer rebases them. Independent chunks can be encoded in parallel.
/// </summary>
internal sealed class ColumnChunkWriter : IDisposable
{
    private readonly ColumnData _column;
    private readonly ParquetWriteOptions _options;
    private readonly PooledBuffer _page = new(64 * 1024);
    private readonly PooledBuffer _compressed = new(64 * 1024);
    private readonly PooledBuffer _header = new(64);
    private long _uncompressedTotal;

    private ColumnChunkWriter(ColumnData column, ParquetWriteOptions options)
    {
        _column = column;
        _options = options;
    }

    /// <summary>The encoded chunk (header and body of every page).</summary>
    public PooledBuffer Output { get; } = new(64 * 1024);

    public ColumnMetaData Meta { get; } = new();

    public static ColumnChunkWriter Encode(ColumnData column, ParquetWriteOptions options)
    {
        var writer = new ColumnChunkWriter(column, options);
        try
        {
            writer.EncodeChunk();
            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Output.Dispose();
        _page.Dispose();
        _compressed.Dispose();
        _header.Dispose();
    }

    private void EncodeChunk()
    {
        var leaf = _column.Leaf;
        string[]? dictionary = null;
        int[]? indices = null;
        if (_options.Dictionary && _column.Strings is { } strings
            && StringDictionary.TryBuild(strings.AsSpan(0, _column.ValueCount), out var entries, out var entryIndices))
        {
            (dictionary, indices) = (entries, entryIndices);
            Meta.DictionaryPageOffset = Output.Length;
            PlainEncoder.EncodeStrings(leaf, entries, _page);
            WritePage(new PageHeader
            {
                Type = PageType.DictionaryPage,
                DictionaryPage = new DictionaryPageHeader { NumValues = entries.Length, Encoding = (int)ParquetEncoding.Plain },
            });
        }
        Meta.DataPageOffset = Output.Length;
        var valueEncoding = dictionary is null ? ParquetEncoding.Plain : ParquetEncoding.RleDictionary;
        var bitWidth = dictionary is null ? 0 : Math.Max(1, RleBitPackedDecoder.BitWidth(dictionary.Length - 1));
        int entry = 0, value = 0;
        do
        {
            var (entryEnd, valueEnd) = NextPage(entry, value, dictionary is null ? 0 : bitWidth);
            if (_column.RepetitionLevels is { } repetitions)
                WriteLevels(repetitions.AsSpan(entry, entryEnd - entry), leaf.MaxRepetitionLevel);
            if (_column.DefinitionLevels is { } definitions)
                WriteLevels(definitions.AsSpan(entry, entryEnd - entry), leaf.MaxDefinitionLevel);
            if (indices is null)
            {
                PlainEncoder.Encode(_column, value, valueEnd - value, _page);
            }
            else
            {
                _page.WriteByte((byte)bitWidth);
                RleBitPackedEncoder.Encode(indices.AsSpan(value, valueEnd - value), bitWidth, _page);
            }
            WritePage(new PageHeader
            {
                Type = PageType.DataPage,
                DataPage = new DataPageHeader
                {
                    NumValues = entryEnd - entry,
                    Encoding = (int)valueEncoding,
                    DefinitionLevelEncoding = (int)ParquetEncoding.Rle,
                    RepetitionLevelEncoding = (int)ParquetEncoding.Rle,
                },
            });
            (entry, value) = (entryEnd, valueEnd);
        }
        while (entry < _column.Count);

        Meta.Type = leaf.Type!.Value;
        Meta.Encodings = dictionary is null
            ? [(int)ParquetEncoding.Plain, (int)ParquetEncoding.Rle]
            : [(int)ParquetEncoding.Plain, (int)ParquetEncoding.Rle, (int)ParquetEncoding.RleDictionary];
        Meta.Path = [.. leaf.Path];
        Meta.Codec = (int)_options.Codec;
        Meta.NumValues = _column.Count;
        Meta.TotalCompressedSize = Output.Length;
        Meta.TotalUncompressedSize = _uncompressedTotal;
        if (_options.Statistics)
            Meta.Statistics = StatisticsBuilder.Build(_column, dictionary);
    }

    /// <summary>Where the page starting at (<paramref name="entry"/>, <paramref name="value"/>) ends: once its estimated value bytes reach the page size, at the next row start.</summary>
    private (int Entry, int Value) NextPage(int entry, int value, int indexBits)
    {
        var definitions = _column.DefinitionLevels;
        var repetitions = _column.RepetitionLevels;
        var maxDefinition = _column.Leaf.MaxDefinitionLevel;
        var strings = indexBits == 0 ? _column.Strings : null;
        var binaries = _column.Binaries;
        var fixedBits = indexBits != 0 ? indexBits : FixedValueBits(_column.Leaf);
        var target = (long)_options.DataPageSize * 8;
        long bits = 0;
        var count = _column.Count;
        while (entry < count)
        {
            if (definitions is null || definitions[entry] == maxDefinition)
            {
                bits += strings is not null ? 8L * (4 + strings[value]!.Length)
                    : binaries is not null ? 8L * (4 + binaries[value].Length)
                    : fixedBits;
                value++;
            }
            entry++;
            if (bits >= target && (repetitions is null || entry == count || repetitions[entry] == 0))
                break;
        }
        return (entry, value);
    }

    private static int FixedValueBits(SchemaNode leaf) => leaf.Type switch
    {
        PhysicalType.Boolean => 1,
        PhysicalType.Int32 or PhysicalType.Float => 32,
        _ => 64,
    };

    // v1 level blocks: a 4-byte length, then the RLE/bit-packed levels.
    private void WriteLevels(ReadOnlySpan<byte> levels, int maxLevel)
    {
        var lengthAt = _page.Length;
        _page.GetSpan(4);
        _page.Advance(4);
        RleBitPackedEncoder.Encode(levels, RleBitPackedDecoder.BitWidth(maxLevel), _page);
        BinaryPrimitives.WriteInt32LittleEndian(_page.Slice(lengthAt, 4), _page.Length - lengthAt - 4);
    }

    // Compresses the page body collected in _page and appends header + body to the output.
    private void WritePage(PageHeader header)
    {
        _compressed.Clear();
        header.UncompressedSize = _page.Length;
        header.CompressedSize = PageCompression.Compress(_options.Codec, _page.WrittenSpan, _compressed);
        _header.Clear();
        MetadataWriter.WritePageHeader(new CompactWriter(_header), header);
        Output.Write(_header.WrittenSpan);
        Output.Write(_compressed.WrittenSpan);
        _uncompressedTotal += _header.Length + _page.Length;
        _page.Clear();
    }
}
