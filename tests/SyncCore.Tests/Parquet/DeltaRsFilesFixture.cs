using System.Text.Json.Nodes;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Parquet;

/// <summary>Every Parquet file of the shared delta-rs tables, read once by DuckDB and once by hyparquet.</summary>
public sealed class DeltaRsFilesFixture
{
    public DeltaRsFilesFixture()
    {
        var files = AllFiles().ToArray();
        DuckDb = NodeReaders.Read(NodeReaders.DuckDb, files);
        Hyparquet = NodeReaders.Read(NodeReaders.Hyparquet, files);
    }

    public Dictionary<string, JsonObject> DuckDb { get; }
    public Dictionary<string, JsonObject> Hyparquet { get; }

    public static IEnumerable<string> Checkpoints() =>
        Directory.EnumerateFiles(TestPaths.DeltaRsTables, "*.checkpoint.parquet", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "_delta_log")
            .Order(StringComparer.Ordinal);

    public static IEnumerable<string> DataFiles() =>
        Directory.EnumerateFiles(TestPaths.DeltaRsTables, "*.parquet", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".checkpoint.parquet", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<string> AllFiles() => Checkpoints().Concat(DataFiles());
}
