using System.Text;
using ReplicaSync.Parquet;
using static ReplicaSync.Parquet.SchemaNode;

namespace ReplicaSync.Tests.Parquet;

/// <summary>A file to write with <see cref="ParquetRows.Write"/> and read back with every reader.</summary>
public sealed record RoundTripScenario(string Name, SchemaNode Schema, List<Dictionary<string, object?>> Rows, ParquetWriteOptions Options);

/// <summary>The schemas and rows the round-trip tests write: every type, nesting with nulls at every level, many pages.</summary>
public static class RoundTripScenarios
{
    public static IEnumerable<RoundTripScenario> All()
    {
        foreach (var codec in Enum.GetValues<CompressionCodec>())
        {
            yield return new($"nested-{codec}", NestedSchema(), NestedRows(), new() { Codec = codec });
            yield return new($"types-{codec}", TypesSchema(), TypesRows(), new() { Codec = codec });
        }
        yield return new("nested-plain", NestedSchema(), NestedRows(), new() { Dictionary = false, Statistics = false });
        yield return new("pages-dictionary", PagesSchema(), PagesRows(20_000), new() { DataPageSize = 8 * 1024 });
        yield return new("pages-plain-gzip", PagesSchema(), PagesRows(5_000), new() { DataPageSize = 2 * 1024, Dictionary = false, Codec = CompressionCodec.Gzip });
        yield return new("legacy-shapes", LegacySchema(), LegacyRows(), new());
        // Pages far above Snappy's 64 KiB fragments, mixing incompressible and repetitive values.
        yield return new("snappy-large-pages", SnappySchema(), SnappyRows(), new() { Dictionary = false });
    }

    public static Dictionary<string, object?> Row(params (string Name, object? Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);

    public static List<KeyValuePair<object?, object?>> Map(params (object? Key, object? Value)[] entries) =>
        [.. entries.Select(e => new KeyValuePair<object?, object?>(e.Key, e.Value))];

    public static List<object?> List(params object?[] items) => [.. items];

    private static SchemaNode NestedSchema() => Group("schema", Repetition.Required,
        Leaf("id", Repetition.Required, PhysicalType.Int64),
        Leaf("name", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String),
        SchemaNode.Map("tags", Repetition.Optional,
            Leaf("key", Repetition.Required, PhysicalType.ByteArray, LogicalKind.String),
            Leaf("value", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String)),
        SchemaNode.Map("props", Repetition.Optional,
            Leaf("key", Repetition.Required, PhysicalType.Int32),
            Group("value", Repetition.Optional,
                Leaf("a", Repetition.Optional, PhysicalType.Int32),
                SchemaNode.List("b", Repetition.Optional, Leaf("element", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String)))),
        SchemaNode.List("scores", Repetition.Optional, Leaf("element", Repetition.Optional, PhysicalType.Double)),
        SchemaNode.List("matrix", Repetition.Optional,
            SchemaNode.List("element", Repetition.Optional, Leaf("element", Repetition.Optional, PhysicalType.Int32))),
        SchemaNode.List("people", Repetition.Required, Group("element", Repetition.Required,
            Leaf("first", Repetition.Required, PhysicalType.ByteArray, LogicalKind.String),
            Leaf("age", Repetition.Optional, PhysicalType.Int32))),
        Group("inner", Repetition.Optional,
            Group("deep", Repetition.Optional,
                Leaf("leaf", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String),
                SchemaNode.List("nums", Repetition.Optional, Leaf("element", Repetition.Required, PhysicalType.Int64))),
            Leaf("flag", Repetition.Required, PhysicalType.Boolean)));

    private static List<Dictionary<string, object?>> NestedRows() =>
    [
        Row(("id", 1L), ("name", "everything present"),
            ("tags", Map(("a", "1"), ("b", (object?)null), ("c", ""))),
            ("props", Map((1, Row(("a", 10), ("b", List("x", null, "z")))), (2, null), (3, Row(("a", null), ("b", null))))),
            ("scores", List(1.5, null, -0.25)),
            ("matrix", List(List(1, 2), List(), null, List(null, 4))),
            ("people", List(Row(("first", "Ada"), ("age", 36)), Row(("first", "Ünïcødé 😀"), ("age", null)))),
            ("inner", Row(("deep", Row(("leaf", "deep"), ("nums", List(1L, 2L, 3L)))), ("flag", true)))),
        Row(("id", 2L), ("name", null), ("tags", null), ("props", null), ("scores", null), ("matrix", null),
            ("people", List()), ("inner", null)),
        Row(("id", 3L), ("name", ""), ("tags", Map()), ("props", Map()), ("scores", List()), ("matrix", List()),
            ("people", List(Row(("first", ""), ("age", 0)))),
            ("inner", Row(("deep", null), ("flag", false)))),
        Row(("id", 4L), ("name", "empty deep"), ("tags", Map(("only", null))), ("props", Map((7, Row(("a", null), ("b", List()))))),
            ("scores", List(null, null)), ("matrix", List(List(), List())),
            ("people", List(Row(("first", "x"), ("age", null)), Row(("first", "y"), ("age", -1)))),
            ("inner", Row(("deep", Row(("leaf", null), ("nums", List()))), ("flag", true)))),
        Row(("id", 5L), ("name", "deep null list"), ("tags", Map(("k", "v"))), ("props", null), ("scores", List(double.NaN, double.PositiveInfinity)),
            ("matrix", List((object?)null)), ("people", List()),
            ("inner", Row(("deep", Row(("leaf", "l"), ("nums", null))), ("flag", false)))),
    ];

    private static SchemaNode TypesSchema() => Group("schema", Repetition.Required,
        Leaf("b", Repetition.Optional, PhysicalType.Boolean),
        Leaf("i32", Repetition.Optional, PhysicalType.Int32),
        Leaf("i64", Repetition.Optional, PhysicalType.Int64),
        Leaf("f", Repetition.Optional, PhysicalType.Float),
        Leaf("d", Repetition.Optional, PhysicalType.Double),
        Leaf("s", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String),
        Leaf("required_s", Repetition.Required, PhysicalType.ByteArray, LogicalKind.String),
        Leaf("bin", Repetition.Optional, PhysicalType.ByteArray),
        Leaf("json", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.Json),
        Leaf("date", Repetition.Optional, PhysicalType.Int32, LogicalKind.Date),
        Timestamp("ts_ms", Repetition.Optional, LogicalKind.TimestampMillis),
        Timestamp("ts_us_ntz", Repetition.Optional, LogicalKind.TimestampMicros, isAdjustedToUtc: false),
        SchemaNode.Decimal("dec9", Repetition.Optional, PhysicalType.Int32, 9, 2),
        SchemaNode.Decimal("dec18", Repetition.Optional, PhysicalType.Int64, 18, 4),
        SchemaNode.Decimal("dec38", Repetition.Optional, PhysicalType.FixedLenByteArray, 38, 6, typeLength: 16),
        Leaf("i8", Repetition.Optional, PhysicalType.Int32, LogicalKind.Int8),
        Leaf("i16", Repetition.Optional, PhysicalType.Int32, LogicalKind.Int16),
        Leaf("u32", Repetition.Optional, PhysicalType.Int32, LogicalKind.UInt32),
        Leaf("u64", Repetition.Optional, PhysicalType.Int64, LogicalKind.UInt64),
        FixedLenByteArray("fixed", Repetition.Optional, 4));

    private static List<Dictionary<string, object?>> TypesRows()
    {
        var rows = new List<Dictionary<string, object?>>
        {
            Row(("b", true), ("i32", int.MaxValue), ("i64", long.MinValue), ("f", 1.5f), ("d", Math.PI), ("s", "héllo"),
                ("required_s", "r"), ("bin", new byte[] { 0, 1, 2, 255 }), ("json", "{\"a\":[1,2]}"), ("date", 19_000),
                ("ts_ms", 1_700_000_000_123L), ("ts_us_ntz", 1_700_000_000_123_456L), ("dec9", 12_345), ("dec18", -99_999_999L),
                ("dec38", Decimal16(-123_456_789)), ("i8", -128), ("i16", 32_767), ("u32", -1), ("u64", -1L), ("fixed", new byte[] { 9, 8, 7, 6 })),
            Row(("required_s", "")),
            Row(("b", false), ("i32", int.MinValue), ("i64", 0L), ("f", -0.125f), ("d", double.NegativeInfinity), ("s", ""),
                ("required_s", "😀"), ("bin", Array.Empty<byte>()), ("json", "null"), ("date", -1), ("ts_ms", -1L), ("ts_us_ntz", 0L),
                ("dec9", -1), ("dec18", 0L), ("dec38", Decimal16(0)), ("i8", 127), ("i16", -32_768), ("u32", 0), ("u64", 0L),
                ("fixed", new byte[4])),
        };
        for (var i = 0; i < 200; i++)
        {
            rows.Add(Row(("b", i % 3 == 0 ? null : i % 2 == 0), ("i32", i), ("i64", i * 1_000_000_007L), ("f", i / 8f), ("d", i / 3.0),
                ("s", i % 5 == 0 ? null : $"s{i % 7}"), ("required_s", $"row {i}"), ("bin", Encoding.UTF8.GetBytes($"b{i}")),
                ("json", $"{{\"i\":{i}}}"), ("date", i), ("ts_ms", i * 1000L), ("ts_us_ntz", i * 1_000_000L), ("dec9", i * 101),
                ("dec18", i * -7L), ("dec38", Decimal16(i * 1_000_003L)), ("i8", i % 100), ("i16", i * 3), ("u32", i), ("u64", (long)i),
                ("fixed", BitConverter.GetBytes(i))));
        }
        return rows;
    }

    // A decimal in FIXED_LEN_BYTE_ARRAY(16): big-endian two's complement.
    private static byte[] Decimal16(long unscaled)
    {
        var bytes = new byte[16];
        new System.Numerics.BigInteger(unscaled).TryWriteBytes(bytes.AsSpan(), out var written, isUnsigned: false, isBigEndian: true);
        var result = new byte[16];
        result.AsSpan().Fill(unscaled < 0 ? (byte)0xFF : (byte)0);
        bytes.AsSpan(0, written).CopyTo(result.AsSpan(16 - written));
        return result;
    }

    private static SchemaNode PagesSchema() => Group("schema", Repetition.Required,
        Leaf("id", Repetition.Required, PhysicalType.Int64),
        Leaf("part", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String),
        Leaf("path", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String),
        SchemaNode.List("values", Repetition.Optional, Leaf("element", Repetition.Optional, PhysicalType.Int32)),
        SchemaNode.Map("kv", Repetition.Optional,
            Leaf("key", Repetition.Required, PhysicalType.ByteArray, LogicalKind.String),
            Leaf("value", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String)),
        Leaf("flag", Repetition.Optional, PhysicalType.Boolean));

    private static List<Dictionary<string, object?>> PagesRows(int count)
    {
        var rows = new List<Dictionary<string, object?>>(count);
        for (var i = 0; i < count; i++)
        {
            rows.Add(Row(("id", (long)i), ("part", i % 11 == 0 ? null : $"region={i % 4}"), ("path", $"part-{i:D8}-{i * 7919 % 10007}.parquet"),
                ("values", i % 13 == 0 ? null : List([.. Enumerable.Range(0, i % 6).Select(j => j == 2 ? null : (object?)(i + j))])),
                ("kv", i % 7 == 0 ? Map() : Map(("date", $"2024-01-{i % 28 + 1:D2}"), ("null", null))),
                ("flag", i % 5 == 0 ? null : i % 3 == 0)));
        }
        return rows;
    }

    private static SchemaNode SnappySchema() => Group("schema", Repetition.Required,
        Leaf("noise", Repetition.Required, PhysicalType.ByteArray),
        Leaf("text", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String));

    private static List<Dictionary<string, object?>> SnappyRows()
    {
        var random = new Random(42);
        var rows = new List<Dictionary<string, object?>>();
        for (var i = 0; i < 3000; i++)
        {
            var noise = new byte[random.Next(0, 600)];
            random.NextBytes(noise);
            rows.Add(Row(("noise", noise), ("text", i % 10 == 0 ? null : string.Concat(Enumerable.Repeat($"value {i % 17} ", i % 40)))));
        }
        return rows;
    }

    // Forms old writers produced: MAP_KEY_VALUE pairs, 2-level lists (repeated leaf, "array" group, "_tuple" group)
    // and a repeated field with no LIST annotation.
    private static SchemaNode LegacySchema() => Group("schema", Repetition.Required,
        Leaf("id", Repetition.Required, PhysicalType.Int32),
        Group("legacy_map", Repetition.Optional, LogicalKind.Map,
            Group("map", Repetition.Repeated, LogicalKind.MapKeyValue,
                Leaf("key", Repetition.Required, PhysicalType.ByteArray, LogicalKind.String),
                Leaf("value", Repetition.Optional, PhysicalType.Int64))),
        Group("two_level", Repetition.Optional, LogicalKind.List, Leaf("array", Repetition.Repeated, PhysicalType.Int32)),
        Group("array_group", Repetition.Optional, LogicalKind.List,
            Group("array", Repetition.Repeated, Leaf("x", Repetition.Optional, PhysicalType.Int32))),
        Group("tuples", Repetition.Optional, LogicalKind.List,
            Group("tuples_tuple", Repetition.Repeated, Leaf("y", Repetition.Required, PhysicalType.ByteArray, LogicalKind.String))),
        Leaf("bare", Repetition.Repeated, PhysicalType.Int64));

    private static List<Dictionary<string, object?>> LegacyRows() =>
    [
        Row(("id", 1), ("legacy_map", Map(("a", 1L), ("b", null))), ("two_level", List(1, 2, 3)),
            ("array_group", List(Row(("x", 1)), Row(("x", null)))), ("tuples", List(Row(("y", "t")))), ("bare", List(5L, 6L))),
        Row(("id", 2), ("legacy_map", null), ("two_level", null), ("array_group", null), ("tuples", null), ("bare", List())),
        Row(("id", 3), ("legacy_map", Map()), ("two_level", List()), ("array_group", List()), ("tuples", List()), ("bare", List(7L))),
    ];
}
