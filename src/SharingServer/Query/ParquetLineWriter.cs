using System.Text.Json;
using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>
/// <c>responseformat=parquet</c> lines: simplified protocol/metaData and <c>file</c>/<c>add</c>/<c>remove</c>
/// objects carrying the signed URL. Partition values are strings, a null partition value is written as "".
/// </summary>
internal sealed class ParquetLineWriter(NdjsonWriter output, FileUrlSigner signer, ResponseOptions options, SharedTable table)
    : LineWriter(output, signer, options)
{
    public override void Protocol(Protocol protocol, long? version) => Output.Line(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("protocol");
        w.WriteNumber("minReaderVersion", protocol.MinReaderVersion);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public override void Metadata(Metadata metadata, long? version, Snapshot state) => Output.Line(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("metaData");
        w.WriteString("id", metadata.Id);
        if (metadata.Name is not null)
            w.WriteString("name", metadata.Name);
        if (metadata.Description is not null)
            w.WriteString("description", metadata.Description);
        w.WriteStartObject("format");
        w.WriteString("provider", "parquet");
        w.WriteEndObject();
        w.WriteString("schemaString", ParquetSchema.Clean(metadata.SchemaString));
        w.WriteStartArray("partitionColumns");
        foreach (var column in metadata.PartitionColumns)
            w.WriteStringValue(column);
        w.WriteEndArray();
        // The reference server exposes only the CDF flag, and only when history (hence CDF) is shared.
        w.WriteStartObject("configuration");
        if (table.HistoryShared && TableFeatures.IsTrue(metadata, "delta.enableChangeDataFeed"))
            w.WriteString("enableChangeDataFeed", "true");
        w.WriteEndObject();
        WriteVersionAndCounts(w, version, state);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public override void SnapshotFile(AddFile add, long? version, long? timestamp) =>
        WriteFileLine("file", add.Path, add.PartitionValues, add.Size, add.Stats, version, timestamp);

    public override void AddedFile(AddFile add, long version, long timestamp) =>
        WriteFileLine("add", add.Path, add.PartitionValues, add.Size, add.Stats, version, timestamp);

    public override void RemovedFile(RemoveFile remove, LiveFile? previous, long version, long timestamp) =>
        WriteFileLine("remove", remove.Path, remove.PartitionValues ?? previous?.PartitionValues,
            remove.Size ?? previous?.Size ?? 0, stats: null, version, timestamp);

    public override void ChangeDataFile(CdcFile change, long version, long timestamp) =>
        WriteFileLine("cdf", change.Path, change.PartitionValues, change.Size, stats: null, version, timestamp);

    private void WriteFileLine(string wrapper, string logPath, IReadOnlyDictionary<string, string?>? partitionValues,
        long size, string? stats, long? version, long? timestamp)
    {
        var url = Signer.SignFile(logPath, size);
        var id = FileId(logPath);
        Output.Line(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject(wrapper);
            w.WriteString("url", url);
            w.WriteString("id", id);
            WritePartitionValues(w, partitionValues);
            w.WriteNumber("size", size);
            if (stats is not null)
                w.WriteString("stats", stats);
            WriteVersionAndExpiry(w, version, timestamp);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void WritePartitionValues(Utf8JsonWriter w, IReadOnlyDictionary<string, string?>? values)
    {
        w.WriteStartObject("partitionValues");
        foreach (var (key, value) in values ?? new Dictionary<string, string?>())
            w.WriteString(key, value ?? "");
        w.WriteEndObject();
    }
}
