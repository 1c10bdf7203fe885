using System.Buffers.Binary;
using ReplicaSync.Parquet;
using static ReplicaSync.Parquet.SchemaNode;
using static ReplicaSync.Tests.Parquet.RoundTripScenarios;

namespace ReplicaSync.Tests.Parquet;

/// <summary>Truncated, patched and random-damaged files fail with a <see cref="ParquetException"/> naming the file, never another exception.</summary>
public sealed class HostileInputTests
{
    private const string Name = "hostile.parquet";

    private static readonly SchemaNode Schema = Group("schema", Repetition.Required,
        Leaf("id", Repetition.Required, PhysicalType.Int64),
        Leaf("name", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String),
        SchemaNode.Map("tags", Repetition.Optional,
            Leaf("key", Repetition.Required, PhysicalType.ByteArray, LogicalKind.String),
            Leaf("value", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String)),
        SchemaNode.List("scores", Repetition.Optional, Leaf("element", Repetition.Optional, PhysicalType.Double)));

    private static byte[] ValidFile(CompressionCodec codec = CompressionCodec.Snappy)
    {
        var rows = Enumerable.Range(0, 300).Select(i => Row(("id", (long)i), ("name", i % 3 == 0 ? null : $"n{i % 4}"),
            ("tags", Map(("k", $"v{i}"))), ("scores", List(i * 0.5, null)))).ToList();
        using var stream = new MemoryStream();
        ParquetRows.Write(stream, Schema, rows, new() { Codec = codec, DataPageSize = 512 });
        return stream.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(100)]
    [InlineData(-1)]
    [InlineData(-8)]
    public void Truncated_files_are_rejected(int keep)
    {
        var file = ValidFile();
        var cut = file[..(keep >= 0 ? keep : file.Length + keep)];
        AssertRejected(cut);
    }

    [Fact]
    public void Bad_magic_is_rejected()
    {
        var head = ValidFile();
        head[0] = (byte)'X';
        Assert.Contains("magic", AssertRejected(head).Message);
        var tail = ValidFile();
        tail[^1] = (byte)'X';
        Assert.Contains("magic", AssertRejected(tail).Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0x7FFF_FFFFu)]
    [InlineData(0xFFFF_FFF0u)]
    public void Footer_length_past_the_file_is_rejected(uint length)
    {
        var file = ValidFile();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 8), length);
        Assert.Contains("footer length", AssertRejected(file).Message);
    }

    [Fact]
    public void Corrupt_page_header_is_rejected()
    {
        var file = ValidFile();
        var offset = Footer(file).RowGroups[0].Columns[1].Meta!.DataPageOffset;
        file.AsSpan((int)offset, 6).Fill(0xFF);
        AssertRejected(file);
    }

    [Fact]
    public void Unsupported_codec_is_named()
    {
        var file = WithFooter(ValidFile(), meta => meta.RowGroups[0].Columns[1].Meta!.Codec = 6);
        var e = AssertRejected(file);
        Assert.Contains("ZSTD", e.Message);
        Assert.Contains("name", e.Message); // the column
    }

    [Fact]
    public void A_forged_value_count_cannot_force_a_huge_allocation()
    {
        var file = WithFooter(ValidFile(), meta => meta.RowGroups[0].Columns[0].Meta!.NumValues = 1L << 40);
        Assert.Contains("values", AssertRejected(file).Message);
    }

    [Theory]
    [InlineData(1L << 40, 100L)]
    [InlineData(long.MaxValue - 10, 100L)] // offset + size overflows
    [InlineData(4L, long.MaxValue)]
    [InlineData(-5L, 10L)]
    public void Chunk_ranges_outside_the_file_are_rejected(long offset, long size)
    {
        var file = WithFooter(ValidFile(), meta =>
        {
            meta.RowGroups[0].Columns[0].Meta!.DataPageOffset = offset;
            meta.RowGroups[0].Columns[0].Meta!.TotalCompressedSize = size;
        });
        Assert.Contains("outside", AssertRejected(file).Message);
    }

    [Fact]
    public void Schema_claiming_more_children_than_it_has_is_rejected()
    {
        var file = WithFooter(ValidFile(), meta => meta.Schema[0].NumChildren = 99);
        AssertRejected(file);
    }

    [Fact]
    public void Deeply_nested_thrift_is_rejected_without_overflowing_the_stack()
    {
        // 100,000 nested struct fields (header byte 0x1C: field delta 1, type struct).
        var footer = Enumerable.Repeat((byte)0x1C, 100_000).ToArray();
        Assert.Contains("nested too deeply", AssertRejected(Assemble([], footer)).Message);
    }

    [Fact]
    public void Huge_thrift_list_count_is_rejected()
    {
        // Field 2 (schema) as a list of structs with a varint count of 2^31 - 1 and no elements.
        byte[] footer = [0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0x07];
        Assert.Contains("list longer than the data", AssertRejected(Assemble([], footer)).Message);
    }

    [Theory]
    [InlineData(CompressionCodec.Uncompressed, false)]
    [InlineData(CompressionCodec.Snappy, false)]
    [InlineData(CompressionCodec.Gzip, false)]
    [InlineData(CompressionCodec.Snappy, true)]
    public void Random_damage_gives_ParquetException_or_data_never_another_exception(CompressionCodec codec, bool footerOnly)
    {
        var valid = ValidFile(codec);
        var footerStart = valid.Length - 8 - BinaryPrimitives.ReadInt32LittleEndian(valid.AsSpan(valid.Length - 8));
        var random = new Random((int)codec);
        for (var round = 0; round < 1500; round++)
        {
            var file = (byte[])valid.Clone();
            var flips = random.Next(1, 4);
            for (var i = 0; i < flips; i++)
                file[random.Next(footerOnly ? footerStart : 0, file.Length - 8)] = (byte)random.Next(256);
            try
            {
                using var reader = ParquetFileReader.Open(file, Name);
                ParquetRows.ReadAll(reader);
            }
            catch (ParquetException e)
            {
                Assert.Contains(Name, e.Message);
            }
        }
    }

    [Fact]
    public void Extreme_footer_values_give_ParquetException_or_data_never_another_exception()
    {
        var valid = ValidFile();
        var random = new Random(7);
        long[] extremes = [0, 1, -1, 2, 4, 7, 12, 255, 256, 100_000, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue];
        long Pick() => random.Next(3) == 0 ? random.Next(-10, 5000) : extremes[random.Next(extremes.Length)];
        int PickInt() => (int)Math.Clamp(Pick(), int.MinValue, int.MaxValue);
        for (var round = 0; round < 600; round++)
        {
            var file = WithFooter(valid, meta =>
            {
                var column = meta.RowGroups[0].Columns[random.Next(5)].Meta!;
                var element = meta.Schema[random.Next(meta.Schema.Count)];
                switch (random.Next(12))
                {
                    case 0: column.NumValues = Pick(); break;
                    case 1: column.DataPageOffset = Pick(); break;
                    case 2: column.DictionaryPageOffset = Pick(); break;
                    case 3: column.TotalCompressedSize = Pick(); break;
                    case 4: column.Type = (PhysicalType)random.Next(9); break;
                    case 5: column.Codec = random.Next(-1, 9); break;
                    case 6: meta.RowGroups[0].NumRows = Pick(); break;
                    case 7: element.NumChildren = PickInt(); break;
                    case 8: element.TypeLength = PickInt(); element.Type = PhysicalType.FixedLenByteArray; break;
                    case 9: element.Type = random.Next(2) == 0 ? null : (PhysicalType)random.Next(9); break;
                    case 10: element.Repetition = random.Next(2) == 0 ? null : (Repetition)random.Next(4); break;
                    default: element.Converted = (ConvertedType)random.Next(-1, 23); break;
                }
            });
            try
            {
                using var reader = ParquetFileReader.Open(file, Name);
                ParquetRows.ReadAll(reader);
            }
            catch (ParquetException e)
            {
                Assert.Contains(Name, e.Message);
            }
        }
    }

    private static ParquetException AssertRejected(byte[] file)
    {
        var e = Assert.Throws<ParquetException>(() =>
        {
            using var reader = ParquetFileReader.Open(file, Name);
            ParquetRows.ReadAll(reader);
        });
        Assert.Contains(Name, e.Message);
        return e;
    }

    private static FileMetaData Footer(byte[] file)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        var thrift = new CompactReader(file.AsSpan(file.Length - 8 - length, length), Name);
        return MetadataReader.ReadFileMetaData(ref thrift);
    }

    // Re-encodes the footer after a change, keeping the column data as written.
    private static byte[] WithFooter(byte[] file, Action<FileMetaData> change)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        var meta = Footer(file);
        change(meta);
        using var footer = new PooledBuffer();
        MetadataWriter.WriteFileMetaData(new CompactWriter(footer), meta, leafCount: 5);
        return Assemble(file.AsSpan(4, file.Length - 12 - length), footer.WrittenSpan);
    }

    private static byte[] Assemble(ReadOnlySpan<byte> data, ReadOnlySpan<byte> footer)
    {
        var file = new byte[4 + data.Length + footer.Length + 8];
        "PAR1"u8.CopyTo(file);
        data.CopyTo(file.AsSpan(4));
        footer.CopyTo(file.AsSpan(4 + data.Length));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(file.Length - 8), footer.Length);
        "PAR1"u8.CopyTo(file.AsSpan(file.Length - 4));
        return file;
    }
}
