using ReplicaSync.Parquet;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Parquet;

/// <summary>Reads every checkpoint and data file of the shared delta-rs tables and agrees with DuckDB and hyparquet on every row.</summary>
public sealed class DeltaRsFilesTests(DeltaRsFilesFixture readers) : IClassFixture<DeltaRsFilesFixture>
{
    public static TheoryData<string> Checkpoints() => new(DeltaRsFilesFixture.Checkpoints().Select(Relative));
    public static TheoryData<string> DataFiles() => new(DeltaRsFilesFixture.DataFiles().Where(f => !IsZstd(f)).Select(Relative));
    public static TheoryData<string> ZstdFiles() => new(DeltaRsFilesFixture.DataFiles().Where(IsZstd).Select(Relative));

    [Fact]
    public void The_shared_tables_have_checkpoints_and_data_files()
    {
        // Guards the theories below against silently running over nothing.
        Assert.True(DeltaRsFilesFixture.Checkpoints().Count() >= 3);
        Assert.True(DeltaRsFilesFixture.DataFiles().Count() >= 80);
    }

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void Checkpoint_rows_match_duckdb_and_hyparquet(string file) => AssertSameRows(file);

    [Theory]
    [MemberData(nameof(DataFiles))]
    public void Data_file_rows_match_duckdb_and_hyparquet(string file) => AssertSameRows(file);

    [Theory]
    [MemberData(nameof(ZstdFiles))]
    public void Zstd_files_are_rejected_by_codec_and_file_name(string file)
    {
        var path = Absolute(file);
        var e = Assert.Throws<ParquetException>(() => ParquetRows.ReadAll(ParquetFileReader.Open(File.ReadAllBytes(path), path)));
        Assert.Contains("ZSTD", e.Message);
        Assert.Contains(path, e.Message);
        // DuckDB does read them: the rejection is a missing codec, not a bad file.
        Assert.NotEmpty(readers.DuckDb.Rows(path, "DuckDB"));
    }

    [Fact]
    public void Checkpoint_columns_decode_into_typed_arrays()
    {
        var path = Path.Combine(TestPaths.Table("checkpoint_with_partitions"), "_delta_log", "00000000000000000002.checkpoint.parquet");
        using var reader = ParquetFileReader.Open(File.ReadAllBytes(path), path);
        var paths = reader.ReadColumn(0, "add", "path")!;
        Assert.Equal(2, paths.Leaf.MaxDefinitionLevel);
        Assert.Equal(reader.RowCount, paths.Count);
        Assert.Equal(paths.DefinitionLevels!.Count(d => d == 2), paths.ValueCount);
        Assert.Equal(paths.ValueCount, paths.Strings!.Length);
        var keys = reader.ReadColumn(0, "add", "partitionValues", "key_value", "key")!;
        Assert.Equal(1, keys.Leaf.MaxRepetitionLevel);
        Assert.NotNull(keys.RepetitionLevels);
        Assert.Null(reader.ReadColumn(0, "add", "deletionVector", "storageType"));
    }

    private void AssertSameRows(string file)
    {
        var path = Absolute(file);
        using var reader = ParquetFileReader.Open(File.ReadAllBytes(path), path);
        var rows = ParquetRows.ReadAll(reader);
        Assert.Equal(reader.RowCount, rows.Count);
        RowAssert.Equal(readers.DuckDb.Rows(path, "DuckDB"), ParquetJson.FromRows(reader.Schema, rows), $"DuckDB, {file}");
        RowAssert.Equal(readers.Hyparquet.Rows(path, "hyparquet"), ParquetJson.FromRows(reader.Schema, rows, sortMaps: true), $"hyparquet, {file}");
    }

    private static bool IsZstd(string file) => file.Contains(".zstd.", StringComparison.Ordinal);
    private static string Relative(string file) => Path.GetRelativePath(TestPaths.DeltaRsTables, file);
    private static string Absolute(string file) => Path.Combine(TestPaths.DeltaRsTables, file);
}
