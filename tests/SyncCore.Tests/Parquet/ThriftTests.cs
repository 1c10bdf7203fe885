using System.Buffers.Binary;
using ReplicaSync.Parquet;
using static ReplicaSync.Tests.Parquet.RoundTripScenarios;

namespace ReplicaSync.Tests.Parquet;

/// <summary>The compact protocol reader skips every field type it does not know, as newer writers add fields.</summary>
public sealed class ThriftTests
{
    [Fact]
    public void Unknown_fields_of_every_type_are_skipped()
    {
        byte[] data =
        [
            0x11,                                           // 1: bool true (value in the type)
            0x13, 0x7F,                                     // 2: byte
            0x14, 0x04,                                     // 3: i16
            0x15, 0x06,                                     // 4: i32
            0x16, 0x08,                                     // 5: i64
            0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F,             // 6: double 1.0
            0x18, 0x03, (byte)'a', (byte)'b', (byte)'c',    // 7: binary
            0x19, 0x25, 0x02, 0x04,                         // 8: list<i32> of 2
            0x1A, 0x11, 0x01,                               // 9: set<bool> of 1 (a byte per element)
            0x1B, 0x01, 0x56, 0x02, 0x04,                   // 10: map<i32, i64> of 1
            0x1C, 0x15, 0x02, 0x00,                         // 11: struct { 1: i32 }
            0x05, 0xC8, 0x01, 0x02,                         // 100 (long-form header): i32
            0x00,                                           // stop
            0xEE,                                           // not part of the struct
        ];
        var reader = new CompactReader(data, "thrift");
        reader.SkipStruct();
        Assert.Equal(data.Length - 1, reader.Position);
    }

    [Fact]
    public void Footer_fields_added_by_newer_writers_are_ignored()
    {
        var rows = new List<Dictionary<string, object?>> { Row(("id", 7L)) };
        var schema = SchemaNode.Group("schema", Repetition.Required, SchemaNode.Leaf("id", Repetition.Required, PhysicalType.Int64));
        using var stream = new MemoryStream();
        ParquetRows.Write(stream, schema, rows);
        var file = stream.ToArray();

        // Insert field 20 (a binary) and field 30 (a struct holding a list) before the footer's stop byte.
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        byte[] extra = [0x08, 0x28, 0x02, (byte)'h', (byte)'i', 0x0C, 0x3C, 0x19, 0x18, 0x01, (byte)'x', 0x00];
        var footerEnd = file.Length - 8;
        var patched = file[..(footerEnd - 1)].Concat(extra).Concat(file[(footerEnd - 1)..]).ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(patched.AsSpan(patched.Length - 8), footerLength + extra.Length);

        using var reader = ParquetFileReader.Open(patched, "patched.parquet");
        Assert.Equal(7L, ParquetRows.ReadAll(reader).Single()["id"]);
    }
}
