using System.Text.Json.Nodes;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Checkpoints;

/// <summary>Every checkpoint of the shared test tables (Spark, Databricks and delta-rs writers), read once by DuckDB and once by hyparquet.</summary>
public sealed class TestdataCheckpointsFixture
{
    public TestdataCheckpointsFixture()
    {
        var files = Files().ToArray();
        DuckDb = NodeReaders.Read(NodeReaders.DuckDb, files);
        Hyparquet = NodeReaders.Read(NodeReaders.Hyparquet, files);
    }

    public Dictionary<string, JsonObject> DuckDb { get; }
    public Dictionary<string, JsonObject> Hyparquet { get; }

    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(TestPaths.DeltaRsTables, "*.checkpoint*.parquet", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "_delta_log")
            .Order(StringComparer.Ordinal);
}

/// <summary>Our checkpoint reader returns, for every testdata checkpoint, the actions DuckDB and hyparquet read from it.</summary>
public sealed class TestdataCheckpointTests(TestdataCheckpointsFixture readers) : IClassFixture<TestdataCheckpointsFixture>
{
    public static TheoryData<string> Checkpoints() => new(TestdataCheckpointsFixture.Files().Select(f => Path.GetRelativePath(TestPaths.DeltaRsTables, f)));

    [Fact]
    public void The_shared_tables_have_checkpoints()
    {
        // Guards the theories below against silently running over nothing.
        Assert.True(TestdataCheckpointsFixture.Files().Count() >= 3);
    }

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public Task Actions_match_DuckDb(string file) =>
        ReaderAgreement.AssertSameAsync(Path.Combine(TestPaths.DeltaRsTables, file), readers.DuckDb, "DuckDB");

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public Task Actions_match_hyparquet(string file) =>
        ReaderAgreement.AssertSameAsync(Path.Combine(TestPaths.DeltaRsTables, file), readers.Hyparquet, "hyparquet");
}
