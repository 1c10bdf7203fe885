using System.Buffers;
using System.Buffers.Binary;

namespace ReplicaSync.Parquet;

/// <summary>
/// Decodes one column chunk (dictionary page and data pages v1/v2) into a <see cref="ColumnData"/>. Levels go
/// straight into the result arrays and values into typed arrays; page buffers are pooled.
/// </summary>
internal sealed class ColumnChunkReader
{
    private readonly string _file;
    private readonly SchemaNode _leaf;
    private readonly CompressionCodec _codec;
    private readonly int _levelCount;
    private readonly byte[]? _definitions;
    private readonly byte[]? _repetitions;
    private readonly ValueBuffer _values;
    private ValueBuffer? _dictionary;
    private int _levelsRead;

    private ColumnChunkReader(string file, SchemaNode leaf, CompressionCodec codec, int levelCount)
    {
        _file = file;
        _leaf = leaf;
        _codec = codec;
        _levelCount = levelCount;
        _definitions = leaf.MaxDefinitionLevel > 0 ? new byte[levelCount] : null;
        _repetitions = leaf.MaxRepetitionLevel > 0 ? new byte[levelCount] : null;
        _values = new ValueBuffer(leaf, levelCount, exact: leaf.MaxDefinitionLevel == 0);
    }

    /// <param name="dataEnd">Where page data must end (the footer's start).</param>
    /// <param name="levelCap">The most level entries a chunk may claim, derived from the file size.</param>
    public static ColumnData Read(ReadOnlyMemory<byte> file, long dataEnd, string fileName, SchemaNode leaf, ColumnChunkMeta chunk, long levelCap)
    {
        var meta = chunk.Meta ?? throw ParquetException.Corrupt(fileName, $"column {leaf} has no metadata");
        if (chunk.FilePath is not null)
            throw ParquetException.Unsupported(fileName, $"column {leaf} is stored in another file ({chunk.FilePath})");
        if (meta.Type != leaf.Type)
            throw ParquetException.Corrupt(fileName, $"column {leaf} is {meta.Type} in its chunk but {leaf.Type} in the schema");
        if (meta.Codec is < 0 or > 2)
            throw ParquetException.Unsupported(fileName, $"compression codec {ThriftNames.Codec(meta.Codec)} (column {leaf})");
        if (meta.NumValues < 0 || meta.NumValues > levelCap)
            throw ParquetException.Corrupt(fileName, $"column {leaf} claims {meta.NumValues} values");
        // The dictionary page, when there is one, comes first; some writers store 0 for "no dictionary".
        var start = meta.DataPageOffset;
        if (meta.DictionaryPageOffset is long dictionaryOffset && dictionaryOffset > 0 && dictionaryOffset < start)
            start = dictionaryOffset;
        if (start < 4 || start > dataEnd || meta.TotalCompressedSize < 0 || meta.TotalCompressedSize > dataEnd - start)
            throw ParquetException.Corrupt(fileName, $"column {leaf} lies outside the file's data");
        var reader = new ColumnChunkReader(fileName, leaf, (CompressionCodec)meta.Codec, (int)meta.NumValues);
        try
        {
            reader.ReadPages(file.Slice((int)start, (int)meta.TotalCompressedSize));
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw ParquetException.Corrupt(fileName, $"column {leaf}: {e.Message}", e);
        }
        return reader._values.ToColumn(reader._levelCount, reader._definitions, reader._repetitions);
    }

    private void ReadPages(ReadOnlyMemory<byte> chunk)
    {
        var position = 0;
        while (_levelsRead < _levelCount)
        {
            if (position >= chunk.Length)
                throw new InvalidDataException($"chunk ends after {_levelsRead} of {_levelCount} values");
            var thrift = new CompactReader(chunk.Span[position..], _file);
            var header = PageHeaderReader.Read(ref thrift);
            position += thrift.Position;
            if (header.CompressedSize > chunk.Length - position)
                throw new InvalidDataException("page runs past the column chunk");
            var body = chunk.Slice(position, header.CompressedSize);
            position += header.CompressedSize;
            switch (header.Type)
            {
                case PageType.DictionaryPage:
                    ReadDictionaryPage(header, body);
                    break;
                case PageType.DataPage:
                    ReadDataPageV1(header, body);
                    break;
                case PageType.DataPageV2:
                    ReadDataPageV2(header, body);
                    break;
                // Index pages and page types from the future carry no values.
            }
        }
    }

    private void ReadDictionaryPage(PageHeader header, ReadOnlyMemory<byte> body)
    {
        var dictionary = header.DictionaryPage ?? throw new InvalidDataException("dictionary page without its header");
        if (_dictionary is not null)
            throw new InvalidDataException("a second dictionary page");
        if (dictionary.Encoding is not ((int)ParquetEncoding.Plain or (int)ParquetEncoding.PlainDictionary))
            throw ParquetException.Unsupported(_file, $"dictionary encoding {ThriftNames.Encoding(dictionary.Encoding)} (column {_leaf})");
        // Every PLAIN value takes at least one bit, so the count is bounded by the page size.
        if (dictionary.NumValues > header.UncompressedSize * 8L)
            throw new InvalidDataException($"dictionary claims {dictionary.NumValues} values in {header.UncompressedSize} bytes");
        _dictionary = new ValueBuffer(_leaf, dictionary.NumValues, exact: true);
        WithDecompressed(body, header.UncompressedSize, page => _dictionary.AppendPlain(page, dictionary.NumValues));
    }

    private void ReadDataPageV1(PageHeader header, ReadOnlyMemory<byte> body)
    {
        var data = header.DataPage ?? throw new InvalidDataException("data page without its header");
        var count = CheckPageCount(data.NumValues);
        WithDecompressed(body, header.UncompressedSize, page =>
        {
            // v1 pages: [repetition levels][definition levels][values], each level block prefixed by its 4-byte length.
            if (_repetitions is not null)
                page = ReadPrefixedLevels(page, data.RepetitionLevelEncoding, _repetitions, count, _leaf.MaxRepetitionLevel);
            if (_definitions is not null)
                page = ReadPrefixedLevels(page, data.DefinitionLevelEncoding, _definitions, count, _leaf.MaxDefinitionLevel);
            ReadValues(page, data.Encoding, NonNullCount(count));
        });
        _levelsRead += count;
    }

    private void ReadDataPageV2(PageHeader header, ReadOnlyMemory<byte> body)
    {
        var data = header.DataPageV2 ?? throw new InvalidDataException("data page v2 without its header");
        var count = CheckPageCount(data.NumValues);
        // v2 pages keep both level blocks uncompressed, without length prefixes, before the (maybe compressed) values.
        var levelBytes = (long)data.RepetitionLevelsLength + data.DefinitionLevelsLength;
        if (levelBytes > body.Length || levelBytes > header.UncompressedSize)
            throw new InvalidDataException("data page v2 levels run past the page");
        var span = body.Span;
        if (_repetitions is not null)
            DecodeLevels(span[..data.RepetitionLevelsLength], _repetitions, count, _leaf.MaxRepetitionLevel);
        if (_definitions is not null)
            DecodeLevels(span.Slice(data.RepetitionLevelsLength, data.DefinitionLevelsLength), _definitions, count, _leaf.MaxDefinitionLevel);
        var values = body[(int)levelBytes..];
        var nonNull = NonNullCount(count);
        var uncompressed = header.UncompressedSize - (int)levelBytes;
        if (data.IsCompressed)
            WithDecompressed(values, uncompressed, page => ReadValues(page, data.Encoding, nonNull));
        else
            ReadValues(values.Span, data.Encoding, nonNull);
        _levelsRead += count;
    }

    private int CheckPageCount(int count)
    {
        if (count < 0 || count > _levelCount - _levelsRead)
            throw new InvalidDataException($"page holds {count} values but only {_levelCount - _levelsRead} remain in the chunk");
        return count;
    }

    private ReadOnlySpan<byte> ReadPrefixedLevels(ReadOnlySpan<byte> page, int encoding, byte[] target, int count, int maxLevel)
    {
        if (encoding != (int)ParquetEncoding.Rle)
            throw ParquetException.Unsupported(_file, $"level encoding {ThriftNames.Encoding(encoding)} (column {_leaf})");
        if (page.Length < 4)
            throw new InvalidDataException("level block length runs past the page");
        var length = BinaryPrimitives.ReadUInt32LittleEndian(page);
        if (length > (uint)(page.Length - 4))
            throw new InvalidDataException("level block runs past the page");
        DecodeLevels(page.Slice(4, (int)length), target, count, maxLevel);
        return page[(4 + (int)length)..];
    }

    private void DecodeLevels(ReadOnlySpan<byte> data, byte[] target, int count, int maxLevel)
    {
        var levels = target.AsSpan(_levelsRead, count);
        RleBitPackedDecoder.Decode(data, RleBitPackedDecoder.BitWidth(maxLevel), levels);
        if (levels.IndexOfAnyInRange((byte)(maxLevel + 1), byte.MaxValue) >= 0)
            throw new InvalidDataException($"a level above the column's maximum {maxLevel}");
    }

    private int NonNullCount(int count)
    {
        return _definitions is null ? count : _definitions.AsSpan(_levelsRead, count).Count((byte)_leaf.MaxDefinitionLevel);
    }

    private void ReadValues(ReadOnlySpan<byte> page, int encoding, int count)
    {
        switch ((ParquetEncoding)encoding)
        {
            case ParquetEncoding.Plain:
                _values.AppendPlain(page, count);
                break;
            case ParquetEncoding.PlainDictionary or ParquetEncoding.RleDictionary:
                if (count == 0)
                    return;
                if (_dictionary is null)
                    throw new InvalidDataException("dictionary-encoded page without a dictionary page");
                if (page.IsEmpty)
                    throw new InvalidDataException("dictionary-encoded page without its bit width");
                var indices = ArrayPool<int>.Shared.Rent(count);
                try
                {
                    RleBitPackedDecoder.Decode(page[1..], page[0], indices.AsSpan(0, count));
                    _values.AppendFromDictionary(_dictionary, indices.AsSpan(0, count));
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(indices);
                }
                break;
            case ParquetEncoding.Rle when _leaf.Type == PhysicalType.Boolean:
                if (page.Length < 4)
                    throw new InvalidDataException("RLE boolean length runs past the page");
                var length = BinaryPrimitives.ReadUInt32LittleEndian(page);
                if (length > (uint)(page.Length - 4))
                    throw new InvalidDataException("RLE booleans run past the page");
                _values.AppendRleBooleans(page.Slice(4, (int)length), count);
                break;
            default:
                throw ParquetException.Unsupported(_file, $"encoding {ThriftNames.Encoding(encoding)} for {_leaf.Type} (column {_leaf})");
        }
    }

    private delegate void PageAction(ReadOnlySpan<byte> page);

    private void WithDecompressed(ReadOnlyMemory<byte> body, int uncompressedSize, PageAction action)
    {
        if (_codec == CompressionCodec.Uncompressed)
        {
            if (uncompressedSize != body.Length)
                throw new InvalidDataException($"uncompressed page of {body.Length} bytes announces {uncompressedSize}");
            action(body.Span);
            return;
        }
        if (uncompressedSize < 0 || uncompressedSize > PageCompression.MaxUncompressedSize(_codec, body.Length))
            throw new InvalidDataException($"page of {body.Length} bytes claims to expand to {uncompressedSize}");
        var buffer = ArrayPool<byte>.Shared.Rent(uncompressedSize);
        try
        {
            PageCompression.Decompress(_codec, body, buffer.AsSpan(0, uncompressedSize));
            action(buffer.AsSpan(0, uncompressedSize));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
