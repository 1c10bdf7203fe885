using ReplicaSync.Parquet;
using ReplicaSync.TestSupport;
using static ReplicaSync.Parquet.SchemaNode;

namespace ReplicaSync.Tests.Parquet;

/// <summary>The typed column API as checkpoint code uses it: schema levels, row groups of ColumnData, projection, validation.</summary>
public sealed class ColumnApiTests
{
    private static readonly SchemaNode Schema = Group("spark_schema", Repetition.Required,
        Group("add", Repetition.Optional,
            Leaf("path", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String),
            SchemaNode.Map("partitionValues", Repetition.Optional,
                Leaf("key", Repetition.Required, PhysicalType.ByteArray, LogicalKind.String),
                Leaf("value", Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String)),
            Leaf("size", Repetition.Optional, PhysicalType.Int64)),
        Leaf("version", Repetition.Required, PhysicalType.Int32));

    [Fact]
    public void Schema_nodes_know_their_path_and_levels()
    {
        var value = Schema.Find("add", "partitionValues", "key_value", "value")!;
        Assert.Equal(["add", "partitionValues", "key_value", "value"], value.Path);
        Assert.Equal(4, value.MaxDefinitionLevel);
        Assert.Equal(1, value.MaxRepetitionLevel);
        Assert.Equal(3, Schema.Find("add", "partitionValues", "key_value", "key")!.MaxDefinitionLevel);
        Assert.Equal(0, Schema.Find("version")!.MaxDefinitionLevel);
        Assert.Equal(LogicalKind.Map, Schema.Find("add", "partitionValues")!.Logical);
        Assert.Null(Schema.Find("add", "stats"));
        Assert.Equal(["add.path", "add.partitionValues.key_value.key", "add.partitionValues.key_value.value", "add.size", "version"],
            Schema.Leaves().Select(l => l.ToString()));
    }

    [Fact]
    public async Task Row_groups_of_typed_columns_read_back_column_by_column()
    {
        using var stream = new MemoryStream();
        var options = new ParquetWriteOptions { KeyValueMetadata = new Dictionary<string, string> { ["origin"] = "test" }, CreatedBy = "ReplicaSync tests" };
        using (var writer = new ParquetFileWriter(stream, Schema, options))
        {
            writer.WriteRowGroup(Columns(first: 0, rows: 1000));
            writer.WriteRowGroup(Columns(first: 1000, rows: 500));
        }
        stream.Position = 0;
        using var reader = await ParquetFileReader.OpenAsync(stream, "typed.parquet", CancellationToken.None);
        Assert.Equal(1500, reader.RowCount);
        Assert.Equal(2, reader.RowGroupCount);
        Assert.Equal(500, reader.GetRowCount(1));
        Assert.Equal("test", reader.KeyValueMetadata["origin"]);
        Assert.Equal("ReplicaSync tests", reader.CreatedBy);

        var paths = reader.ReadColumn(1, "add", "path")!;
        Assert.Equal(500, paths.Count);
        Assert.Equal(Expected(1000, 500).Count(p => p is not null), paths.ValueCount);
        Assert.Equal(Expected(1000, 500).Where(p => p is not null), paths.Strings!);
        var values = reader.ReadColumn(0, Schema.Find("add", "partitionValues", "key_value", "value")!); // a node of another tree, found by path
        Assert.Equal(1000, values.RowCount());
        Assert.Equal(Enumerable.Range(0, 1500), Enumerable.Range(0, 2).SelectMany(g => reader.ReadColumn(g, "version")!.Int32s!));
        Assert.Null(reader.ReadColumn(0, "add", "deletionVector", "storageType"));
        Assert.Throws<ArgumentException>(() => reader.ReadColumn(0, "add"));
    }

    [Fact]
    public void Columns_that_do_not_fit_the_schema_are_refused_before_anything_is_written()
    {
        using var stream = new MemoryStream();
        using var writer = new ParquetFileWriter(stream, Schema);
        var good = Columns(0, 10);
        var lengthAfterMagic = stream.Length;

        AssertRefused(writer, good.Take(4).ToList(), "5 leaves");
        AssertRefused(writer, Replace(good, 4, new ColumnData { Leaf = Schema.Find("version")!, Count = 9, ValueCount = 9, Int32s = new int[9] }), "rows");
        AssertRefused(writer, Replace(good, 3, new ColumnData { Leaf = Schema.Find("add", "size")!, Count = 10, ValueCount = 10, Int64s = new long[10] }), "definition levels");
        AssertRefused(writer, Replace(good, 0, new ColumnData { Leaf = Schema.Find("add", "path")!, Count = 10, DefinitionLevels = new byte[10], ValueCount = 3, Strings = new string[3] }), "ValueCount");
        AssertRefused(writer, Replace(good, 4, new ColumnData { Leaf = Schema.Find("version")!, Count = 10, ValueCount = 10, Int64s = new long[10] }), "Int32s");
        AssertRefused(writer, Replace(good, 0, good[3]), "given data for");
        Assert.Equal(lengthAfterMagic, stream.Length);
    }

    [Fact]
    public void Null_values_inside_the_value_array_are_refused()
    {
        using var stream = new MemoryStream();
        using var writer = new ParquetFileWriter(stream, Schema);
        var columns = Replace(Columns(0, 10), 0, new ColumnData
        {
            Leaf = Schema.Find("add", "path")!, Count = 10, DefinitionLevels = [.. Enumerable.Repeat((byte)2, 10)], ValueCount = 10, Strings = new string?[10],
        });
        Assert.Contains("null", Assert.Throws<ArgumentException>(() => writer.WriteRowGroup(columns)).Message);
    }

    [Fact]
    public void A_file_with_no_rows_is_valid()
    {
        using var directory = new TempDirectory("parquet-empty");
        var path = directory.Combine("empty.parquet");
        using (var stream = File.Create(path))
            ParquetRows.Write(stream, Schema, []);
        using var reader = ParquetFileReader.Open(File.ReadAllBytes(path), path);
        Assert.Equal(0, reader.RowCount);
        Assert.Equal(0, reader.RowGroupCount);
        Assert.Empty(ParquetRows.ReadAll(reader));
        Assert.Empty(NodeReaders.Read(NodeReaders.DuckDb, [path]).Rows(path, "DuckDB"));
    }

    private static void AssertRefused(ParquetFileWriter writer, IReadOnlyList<ColumnData> columns, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => writer.WriteRowGroup(columns)).Message);

    private static List<ColumnData> Replace(List<ColumnData> columns, int index, ColumnData replacement)
    {
        var copy = columns.ToList();
        copy[index] = replacement;
        return copy;
    }

    // Row i: add is null when i % 10 == 9, its path null when i % 7 == 0; partitionValues {"p": "v(i%3)"}, empty when i % 5 == 0.
    private static string?[] Expected(int first, int rows) =>
        [.. Enumerable.Range(first, rows).Select(i => i % 10 == 9 ? null : i % 7 == 0 ? null : $"file-{i}")];

    private static List<ColumnData> Columns(int first, int rows)
    {
        var leaves = Schema.Leaves().ToArray();
        var paths = new List<string?>();
        var pathDef = new List<byte>();
        var keyDef = new List<byte>();
        var valueDef = new List<byte>();
        var mapRep = new List<byte>();
        var keys = new List<string?>();
        var values = new List<string?>();
        var sizes = new List<long>();
        var sizeDef = new List<byte>();
        for (var i = first; i < first + rows; i++)
        {
            var add = i % 10 != 9;
            pathDef.Add((byte)(!add ? 0 : i % 7 == 0 ? 1 : 2));
            if (add && i % 7 != 0)
                paths.Add($"file-{i}");
            mapRep.Add(0);
            if (add && i % 5 != 0)
            {
                keyDef.Add(3);
                valueDef.Add(4);
                keys.Add("p");
                values.Add($"v{i % 3}");
            }
            else
            {
                keyDef.Add((byte)(add ? 2 : 0)); // empty map, or add itself null
                valueDef.Add((byte)(add ? 2 : 0));
            }
            sizeDef.Add((byte)(add ? 2 : 0));
            if (add)
                sizes.Add(i * 10L);
        }
        return
        [
            new() { Leaf = leaves[0], Count = rows, DefinitionLevels = [.. pathDef], ValueCount = paths.Count, Strings = [.. paths] },
            new() { Leaf = leaves[1], Count = rows, DefinitionLevels = [.. keyDef], RepetitionLevels = [.. mapRep], ValueCount = keys.Count, Strings = [.. keys] },
            new() { Leaf = leaves[2], Count = rows, DefinitionLevels = [.. valueDef], RepetitionLevels = [.. mapRep], ValueCount = values.Count, Strings = [.. values] },
            new() { Leaf = leaves[3], Count = rows, DefinitionLevels = [.. sizeDef], ValueCount = sizes.Count, Int64s = [.. sizes] },
            new() { Leaf = leaves[4], Count = rows, ValueCount = rows, Int32s = [.. Enumerable.Range(first, rows)] },
        ];
    }
}
