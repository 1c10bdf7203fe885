using System.Text.Json.Nodes;
using ReplicaSync.Parquet;
using ReplicaSync.TestSupport;
using static ReplicaSync.Tests.Parquet.RoundTripScenarios;

namespace ReplicaSync.Tests.Parquet;

/// <summary>Files from other writers: DuckDB (v1 pages, dictionaries of every type, row groups) and a hand-built file with data pages v2.</summary>
public sealed class OtherWritersFixture : IDisposable
{
    private readonly TempDirectory _directory = new("parquet-writers");

    public OtherWritersFixture()
    {
        const string Columns = """
            i::BIGINT AS id, i % 3 = 0 AS b, CASE WHEN i % 7 = 0 THEN NULL ELSE 'str ' || i END AS s, i / 8.0 AS d,
            CASE WHEN i % 5 = 0 THEN NULL ELSE [i::INT, NULL, i::INT + 1] END AS l,
            {'a': i::INT, 'inner': CASE WHEN i % 4 = 0 THEN NULL ELSE {'x': 'x' || (i % 3)} END} AS st,
            CASE WHEN i % 6 = 0 THEN MAP {} ELSE MAP {'k' || (i % 2): i::VARCHAR} END AS m,
            DATE '2024-01-01' + (i % 400)::INT AS dt, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts,
            (i * 1.25)::DECIMAL(12, 2) AS dec, encode('b' || i) AS bin, (i % 100)::TINYINT AS tiny
            """;
        const string LowCardinality = """
            i % 2 = 0 AS b, 'x' || (i % 5) AS s, (i % 3)::DOUBLE AS d, (i % 7)::INT AS n, (i % 4)::BIGINT AS big,
            CASE WHEN i % 4 = 0 THEN NULL ELSE ['a', 'b', NULL] END AS l, MAP {'k': 'v' || (i % 3)} AS m,
            {'p': CASE WHEN i % 2 = 0 THEN NULL ELSE 'q' END} AS st
            """;
        var files = new (string Name, string Options, string Select)[]
        {
            ("duckdb-v1-uncompressed", "COMPRESSION uncompressed", $"SELECT {Columns} FROM range(3000) t(i)"),
            ("duckdb-v1-snappy-row-groups", "COMPRESSION snappy, ROW_GROUP_SIZE 2048", $"SELECT {Columns} FROM range(10000) t(i)"),
            ("duckdb-v1-gzip-dictionaries", "COMPRESSION gzip", $"SELECT {LowCardinality} FROM range(5000) t(i)"),
            ("duckdb-v2-snappy-dictionaries", "COMPRESSION snappy, PARQUET_VERSION v2", $"SELECT {LowCardinality} FROM range(5000) t(i)"),
        };
        foreach (var (name, _, _) in files)
            Paths[name] = _directory.Combine(name + ".parquet");
        NodeReaders.WriteWithDuckDb(files.Select(f => (Paths[f.Name], f.Options, f.Select)));

        Paths[DataPageV2File.Name] = _directory.Combine(DataPageV2File.Name + ".parquet");
        File.WriteAllBytes(Paths[DataPageV2File.Name], DataPageV2File.Build());

        DuckDb = NodeReaders.Read(NodeReaders.DuckDb, Paths.Values);
        Hyparquet = NodeReaders.Read(NodeReaders.Hyparquet, Paths.Values);
    }

    public Dictionary<string, string> Paths { get; } = [];
    public Dictionary<string, JsonObject> DuckDb { get; }
    public Dictionary<string, JsonObject> Hyparquet { get; }

    public void Dispose() => _directory.Dispose();
}

public sealed class OtherWritersTests(OtherWritersFixture files) : IClassFixture<OtherWritersFixture>
{
    public static TheoryData<string> DuckDbFiles() =>
        ["duckdb-v1-uncompressed", "duckdb-v1-snappy-row-groups", "duckdb-v1-gzip-dictionaries", "duckdb-v2-snappy-dictionaries"];

    [Theory]
    [MemberData(nameof(DuckDbFiles))]
    public void DuckDb_written_files_read_as_DuckDb_reads_them(string name)
    {
        var path = files.Paths[name];
        using var reader = ParquetFileReader.Open(File.ReadAllBytes(path), path);
        RowAssert.Equal(files.DuckDb.Rows(path, "DuckDB"), ParquetJson.FromRows(reader.Schema, ParquetRows.ReadAll(reader)), name);
    }

    [Fact]
    public void Row_groups_of_a_DuckDb_file_are_read_in_order()
    {
        var path = files.Paths["duckdb-v1-snappy-row-groups"];
        using var reader = ParquetFileReader.Open(File.ReadAllBytes(path), path);
        Assert.Equal(5, reader.RowGroupCount);
        var ids = Enumerable.Range(0, reader.RowGroupCount).SelectMany(g => reader.ReadColumn(g, "id")!.Int64s!);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => (long)i), ids);
    }

    [Fact]
    public void Data_pages_v2_with_RLE_booleans_and_uncompressed_values_read_as_DuckDb_and_hyparquet_read_them()
    {
        var path = files.Paths[DataPageV2File.Name];
        var expected = ParquetJson.FromRows(DataPageV2File.Schema, DataPageV2File.Rows);
        using var reader = ParquetFileReader.Open(File.ReadAllBytes(path), path);
        RowAssert.Equal(expected, ParquetJson.FromRows(reader.Schema, ParquetRows.ReadAll(reader)), "own reader");
        RowAssert.Equal(expected, files.DuckDb.Rows(path, "DuckDB"), "DuckDB");
        RowAssert.Equal(expected, files.Hyparquet.Rows(path, "hyparquet"), "hyparquet");
    }

    [Fact]
    public void Dictionary_encoded_strings_share_one_instance_per_distinct_value()
    {
        var path = files.Paths["duckdb-v1-gzip-dictionaries"];
        using var reader = ParquetFileReader.Open(File.ReadAllBytes(path), path);
        var strings = reader.ReadColumn(0, "s")!.Strings!;
        Assert.Equal(5000, strings.Length);
        Assert.Equal(5, strings.Distinct(ReferenceEqualityComparer.Instance).Count());
    }
}
