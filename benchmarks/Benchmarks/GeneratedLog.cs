using System.Globalization;
using System.Text;
using ReplicaSync.Delta;

namespace ReplicaSync.Benchmarks;

/// <summary>
/// A synthetic Delta log shaped like a busy partitioned table: <c>commits</c> commits of <c>addsPerCommit</c> adds
/// each (Spark-style paths, one partition column with 100 values, stats JSON), written once into a cache folder and
/// reused by later runs. Optionally a checkpoint at the last version.
/// </summary>
public static class GeneratedLog
{
    public static string Root(int commits, int addsPerCommit) =>
        Path.Combine(Path.GetTempPath(), "replicasync-bench", $"log-{commits}x{addsPerCommit}");

    /// <summary>Creates the log if it is not there yet (a marker file says it is complete) and returns its root.</summary>
    public static string Ensure(int commits, int addsPerCommit)
    {
        var root = Root(commits, addsPerCommit);
        var done = Path.Combine(root, "complete");
        if (File.Exists(done))
            return root;
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        var log = Path.Combine(root, "_delta_log");
        Directory.CreateDirectory(log);
        Parallel.For(0, commits, version =>
        {
            var builder = new StringBuilder(addsPerCommit * 420);
            builder.Append($$$"""{"commitInfo":{"timestamp":{{{1_700_000_000_000L + version * 1000}}},"operation":"WRITE","operationParameters":{"mode":"Append"},"isBlindAppend":true}}""").Append('\n');
            if (version == 0)
            {
                builder.Append(ActionCodec.ToJson(new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 })).Append('\n');
                builder.Append(ActionCodec.ToJson(new Metadata
                {
                    Id = "5fba94ed-9794-4965-ba6e-6ee3c0d22af9", PartitionColumns = ["region"],
                    SchemaString = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"value","type":"double","nullable":true,"metadata":{}},{"name":"region","type":"string","nullable":true,"metadata":{}}]}""",
                })).Append('\n');
            }
            for (var i = 0; i < addsPerCommit; i++)
                builder.Append(ActionCodec.ToJson(Add(version, i))).Append('\n');
            File.WriteAllText(Path.Combine(log, version.ToString("D20", CultureInfo.InvariantCulture) + ".json"), builder.ToString());
        });
        File.WriteAllText(done, "");
        return root;
    }

    /// <summary>The add for file <paramref name="i"/> of commit <paramref name="version"/>, deterministic.</summary>
    public static AddFile Add(int version, int i)
    {
        var region = $"region-{(version * 31 + i) % 100:D3}";
        var guid = new Guid(version, (short)i, 0, 1, 2, 3, 4, 5, 6, 7, 8);
        return new AddFile
        {
            Path = $"region={region}/part-{i:D5}-{guid}-c000.snappy.parquet",
            PartitionValues = new() { ["region"] = region },
            Size = 10_000_000 + version + i,
            ModificationTime = 1_700_000_000_000L + version * 1000,
            DataChange = true,
            Stats = $$$"""{"numRecords":{{{1000 + i}}},"minValues":{"id":{{{version * 1000L}}},"value":0.5},"maxValues":{"id":{{{version * 1000L + 999}}},"value":99.5},"nullCount":{"id":0,"value":{{{i % 7}}}}}""",
        };
    }
}
