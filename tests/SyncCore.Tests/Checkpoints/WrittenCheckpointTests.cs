using System.Text.Json.Nodes;
using Parquet;
using Parquet.Meta;
using Parquet.Schema;
using ReplicaSync.Delta;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Checkpoints;

/// <summary>The checkpoint of <see cref="WrittenCheckpoint"/>, written once, then read by DuckDB and hyparquet in one process each.</summary>
public sealed class WrittenCheckpointFixture : IDisposable
{
    private readonly TempDirectory _directory = new("written-checkpoint");

    public WrittenCheckpointFixture()
    {
        Snapshot = WrittenCheckpoint.Snapshot();
        var encoded = CheckpointWriter.EncodeAsync(Snapshot, WrittenCheckpoint.LiveAdds().ToAsyncEnumerable(), WrittenCheckpoint.RowGroupRows, default)
            .GetAwaiter().GetResult();
        (Actions, Adds) = (encoded.Actions, encoded.Adds);
        Path = _directory.Combine("00000000000000000001.checkpoint.parquet");
        File.WriteAllBytes(Path, encoded.Bytes);
        DuckDb = NodeReaders.Read(NodeReaders.DuckDb, [Path]);
        Hyparquet = NodeReaders.Read(NodeReaders.Hyparquet, [Path]);
    }

    public Snapshot Snapshot { get; }
    public long Actions { get; }
    public long Adds { get; }
    public string Path { get; }
    public Dictionary<string, JsonObject> DuckDb { get; }
    public Dictionary<string, JsonObject> Hyparquet { get; }

    public void Dispose() => _directory.Dispose();
}

/// <summary>What the checkpoint writer produces reads back identically with our reader, DuckDB and hyparquet.</summary>
public sealed class WrittenCheckpointTests(WrittenCheckpointFixture written) : IClassFixture<WrittenCheckpointFixture>
{
    [Fact]
    public void DuckDb_reads_every_action_written()
    {
        Assert.Equal((12L, 6L), (written.Actions, written.Adds));
        Assert.Equal(Expected(), CheckpointJson.FromRows(written.DuckDb.Rows(written.Path, "DuckDB")));
    }

    [Fact]
    public void Hyparquet_reads_every_action_written() =>
        Assert.Equal(Expected(), CheckpointJson.FromRows(written.Hyparquet.Rows(written.Path, "hyparquet")));

    [Fact]
    public Task Our_reader_returns_what_DuckDb_reads() => ReaderAgreement.AssertSameAsync(written.Path, written.DuckDb, "DuckDB");

    [Fact]
    public Task Our_reader_returns_what_hyparquet_reads() => ReaderAgreement.AssertSameAsync(written.Path, written.Hyparquet, "hyparquet");

    [Fact]
    public void Columns_are_snappy_compressed_in_row_groups_of_the_size_asked_for()
    {
        var chunks = written.DuckDb[written.Path]["chunks"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.All(chunks, c => Assert.Equal("SNAPPY", (string?)c["compression"]));
        var groups = chunks.Select(c => c["row_group_id"]!.ToJsonString()).Distinct().Count();
        Assert.Equal(4, groups); // 12 rows in groups of 3
    }

    [Fact]
    public async Task Every_column_has_the_type_and_levels_Spark_gives_it()
    {
        // Spark's own checkpoint (parquet-mr) in the shared tables: every column both schemas have must agree, so
        // that Spark, delta-rs and DuckDB read ours as they read Spark's.
        var spark = Path.Combine(TestPaths.Table("simple_table_with_checkpoint"), "_delta_log", "00000000000000000010.checkpoint.parquet");
        await using var sparkFile = File.OpenRead(spark);
        await using var sparkReader = await ParquetReader.CreateAsync(sparkFile);
        await using var oursFile = File.OpenRead(written.Path);
        await using var ours = await ParquetReader.CreateAsync(oursFile);
        var sparkLeaves = sparkReader.Schema.GetDataFields().ToDictionary(f => f.Path.ToString());
        var shared = 0;
        foreach (var leaf in ours.Schema.GetDataFields())
        {
            if (!sparkLeaves.TryGetValue(leaf.Path.ToString(), out var theirs))
                continue;
            shared++;
            Assert.Equal(Describe(theirs), Describe(leaf));
        }
        Assert.True(shared >= 30, $"only {shared} columns in common with Spark's checkpoint");
        Assert.Equal(CheckpointSchema.Root.GetDataFields().Select(f => f.Path.ToString()), ours.Schema.GetDataFields().Select(f => f.Path.ToString()));
    }

    // Parquet.Net annotates integers INT_32/INT_64, which every reader takes as the plain signed integer Spark leaves unannotated.
    private static string Describe(DataField f) =>
        $"{f.Path} {f.SchemaElement?.Type} {(f.SchemaElement?.ConvertedType is ConvertedType.INT_32 or ConvertedType.INT_64 ? null : f.SchemaElement?.ConvertedType)} " +
        $"def={f.MaxDefinitionLevel} rep={f.MaxRepetitionLevel}";

    private List<string> Expected()
    {
        var snapshot = written.Snapshot;
        IEnumerable<DeltaAction> actions = [snapshot.Protocol!, snapshot.Metadata!, .. snapshot.Transactions.Values, .. snapshot.Domains.Values,
            .. WrittenCheckpoint.LiveAdds(), .. snapshot.Tombstones.Values];
        return actions.Select(CheckpointJson.FromAction).ToList();
    }
}
