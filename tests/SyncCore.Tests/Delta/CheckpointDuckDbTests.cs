using System.Text.Json.Nodes;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Delta;

/// <summary>DuckDB and hyparquet, independent readers, read the checkpoints we write with the content we meant.</summary>
public class CheckpointDuckDbTests
{
    [Theory]
    [InlineData("table-with-dv-small")]
    [InlineData("delta-0.8.0-special-partition")]
    [InlineData("simple_table_with_checkpoint")]
    public async Task Independent_readers_see_the_adds_protocol_and_metadata_of_our_checkpoint(string table)
    {
        var log = new DeltaLog(new LocalObjectStore(TestPaths.Table(table)));
        var segment = (await LogSegment.BuildAsync(log.Store, null, default))!;
        var snapshot = await log.ReplayAsync(segment, default);
        using var dir = new TempDirectory("checkpoint");
        var file = dir.Combine("checkpoint.parquet");
        await File.WriteAllBytesAsync(file, (await CheckpointWriter.EncodeAsync(snapshot, log.ScanLiveAddsAsync(segment, default), default)).Bytes);

        foreach (var reader in new[] { NodeReaders.DuckDb, NodeReaders.Hyparquet })
        {
            var rows = NodeReaders.Read(reader, [file]).Rows(file, reader).Select(r => r!.AsObject()).ToList();
            var adds = rows.Select(r => r["add"]).OfType<JsonObject>().ToList();
            Assert.Equal(
                snapshot.Files.Values.Select(f => $"{f.Path}|{f.Size}|{Map(f.PartitionValues)}|{f.DeletionVector?.UniqueId}").Order(StringComparer.Ordinal),
                adds.Select(a => $"{(string)a["path"]!}|{(string)a["size"]!}|{Map(a["partitionValues"])}|{DvId(a["deletionVector"])}").Order(StringComparer.Ordinal));
            var protocol = Assert.Single(rows.Select(r => r["protocol"]).OfType<JsonObject>());
            Assert.Equal(snapshot.Protocol!.MinReaderVersion, (int)protocol["minReaderVersion"]!);
            var metadata = Assert.Single(rows.Select(r => r["metaData"]).OfType<JsonObject>());
            Assert.Equal(snapshot.Metadata!.SchemaString, (string)metadata["schemaString"]!);
            Assert.Equal(snapshot.Tombstones.Count, rows.Count(r => r["remove"] is JsonObject));
            Assert.All(rows, r => Assert.Single(r, p => p.Value is not null));
        }
    }

    private static string Map(IReadOnlyDictionary<string, string?> values) =>
        string.Join(",", values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value ?? "<null>"}"));

    // Both readers print a MAP as [{key, value}] (see tests/js); an empty or null map prints as [] or null.
    private static string Map(JsonNode? map) =>
        map is JsonArray entries
            ? string.Join(",", entries.Select(e => $"{(string)e!["key"]!}={(string?)e["value"] ?? "<null>"}").Order(StringComparer.Ordinal))
            : "";

    private static string? DvId(JsonNode? dv) => dv is JsonObject d
        ? (string)d["storageType"]! + (string)d["pathOrInlineDv"]! + (d["offset"] is { } o ? "@" + o : "")
        : null;
}
