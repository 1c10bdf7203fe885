using System.Buffers.Binary;
using ReplicaSync.Parquet;
using static ReplicaSync.Parquet.SchemaNode;
using static ReplicaSync.Tests.Parquet.RoundTripScenarios;

namespace ReplicaSync.Tests.Parquet;

/// <summary>
/// Builds, byte by byte, a SNAPPY file whose chunks use DATA_PAGE_V2 pages (the writer only writes v1): a boolean
/// column with RLE-encoded values in two compressed pages, and a list of strings whose page is marked
/// is_compressed=false. DuckDB and hyparquet reading it confirm the bytes are right.
/// </summary>
internal static class DataPageV2File
{
    public const string Name = "hand-built-data-page-v2";

    public static readonly SchemaNode Schema = Group("schema", Repetition.Required,
        Leaf("flag", Repetition.Optional, PhysicalType.Boolean),
        SchemaNode.List("tags", Repetition.Optional, Leaf("element", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String)));

    public static readonly List<Dictionary<string, object?>> Rows =
    [
        Row(("flag", true), ("tags", List("a", "b"))),
        Row(("flag", null), ("tags", null)),
        Row(("flag", false), ("tags", List())),
        Row(("flag", true), ("tags", List((object?)null))),
        Row(("flag", true), ("tags", List("c"))),
        Row(("flag", null), ("tags", List("d", null, "e"))),
        Row(("flag", false), ("tags", null)),
        Row(("flag", true), ("tags", List("f"))),
    ];

    public static byte[] Build()
    {
        var columns = RecordShredder.Shred(Schema, Rows);
        using var file = new PooledBuffer();
        file.Write("PAR1"u8);
        var chunks = new List<ColumnChunkMeta>();

        // flag: two pages of four rows, values RLE-encoded booleans (4-byte length prefix), compressed.
        var flag = columns[0];
        var flagStart = file.Length;
        var valueOffset = 0;
        for (var first = 0; first < flag.Count; first += 4)
        {
            var definitions = Rle(flag.DefinitionLevels.AsSpan(first, 4), bitWidth: 1);
            var present = flag.DefinitionLevels.AsSpan(first, 4).Count((byte)1);
            var bits = flag.Booleans!.AsSpan(valueOffset, present).ToArray().Select(b => (byte)(b ? 1 : 0)).ToArray();
            valueOffset += present;
            var rle = Rle(bits, bitWidth: 1);
            var values = new byte[4 + rle.Length];
            BinaryPrimitives.WriteInt32LittleEndian(values, rle.Length);
            rle.CopyTo(values, 4);
            WritePage(file, numValues: 4, numNulls: 4 - present, numRows: 4, ParquetEncoding.Rle, [], definitions, values, compress: true);
        }
        chunks.Add(Chunk(flag, flagStart, file.Length - flagStart, ParquetEncoding.Rle));

        // tags: one page, levels as-is, PLAIN strings left uncompressed (is_compressed = false).
        var tags = columns[1];
        var tagsStart = file.Length;
        using var plain = new PooledBuffer();
        PlainEncoder.Encode(tags, 0, tags.ValueCount, plain);
        WritePage(file, tags.Count, tags.Count - tags.ValueCount, Rows.Count, ParquetEncoding.Plain,
            Rle(tags.RepetitionLevels!, bitWidth: 1), Rle(tags.DefinitionLevels!, bitWidth: 2), plain.WrittenSpan.ToArray(), compress: false);
        chunks.Add(Chunk(tags, tagsStart, file.Length - tagsStart, ParquetEncoding.Plain));

        var meta = new FileMetaData
        {
            Version = 2,
            Schema = SchemaConverter.ToElements(Schema),
            NumRows = Rows.Count,
            RowGroups = [new RowGroupMeta { NumRows = Rows.Count, Columns = chunks, TotalByteSize = file.Length }],
            CreatedBy = "hand-built test file",
        };
        using var footer = new PooledBuffer();
        MetadataWriter.WriteFileMetaData(new CompactWriter(footer), meta, leafCount: 2);
        file.Write(footer.WrittenSpan);
        var tail = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tail, footer.Length);
        "PAR1"u8.CopyTo(tail.AsSpan(4));
        file.Write(tail);
        return file.WrittenSpan.ToArray();
    }

    private static byte[] Rle(ReadOnlySpan<byte> levels, int bitWidth)
    {
        using var buffer = new PooledBuffer();
        RleBitPackedEncoder.Encode(levels, bitWidth, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    // DATA_PAGE_V2: repetition and definition levels uncompressed and unprefixed, then the values (maybe compressed).
    private static void WritePage(PooledBuffer file, int numValues, int numNulls, int numRows, ParquetEncoding encoding,
        byte[] repetitions, byte[] definitions, byte[] values, bool compress)
    {
        using var compressed = new PooledBuffer();
        if (compress)
            PageCompression.Compress(CompressionCodec.Snappy, values, compressed);
        else
            compressed.Write(values);
        var levels = repetitions.Length + definitions.Length;
        using var header = new PooledBuffer();
        var w = new CompactWriter(header);
        w.BeginStruct();
        w.FieldI32(1, (int)PageType.DataPageV2);
        w.FieldI32(2, levels + values.Length);
        w.FieldI32(3, levels + compressed.Length);
        w.FieldStruct(8);
        w.FieldI32(1, numValues);
        w.FieldI32(2, numNulls);
        w.FieldI32(3, numRows);
        w.FieldI32(4, (int)encoding);
        w.FieldI32(5, definitions.Length);
        w.FieldI32(6, repetitions.Length);
        w.FieldBool(7, compress);
        w.EndStruct();
        w.EndStruct();
        file.Write(header.WrittenSpan);
        file.Write(repetitions);
        file.Write(definitions);
        file.Write(compressed.WrittenSpan);
    }

    private static ColumnChunkMeta Chunk(ColumnData column, int start, int length, ParquetEncoding encoding) => new()
    {
        FileOffset = start,
        Meta = new ColumnMetaData
        {
            Type = column.Leaf.Type!.Value,
            Encodings = [(int)encoding, (int)ParquetEncoding.Rle],
            Path = [.. column.Leaf.Path],
            Codec = (int)CompressionCodec.Snappy,
            NumValues = column.Count,
            TotalCompressedSize = length,
            TotalUncompressedSize = length,
            DataPageOffset = start,
        },
    };
}
