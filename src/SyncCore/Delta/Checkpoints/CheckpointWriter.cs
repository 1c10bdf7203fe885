using ReplicaSync.Parquet;
using ReplicaSync.Storage;

namespace ReplicaSync.Delta;

/// <summary>
/// Writes a classic single-file checkpoint of a snapshot and then <c>_last_checkpoint</c>. A checkpoint is only
/// written once its commit exists (or, for a bootstrap, as the table's first entry, put-if-absent).
/// </summary>
public static class CheckpointWriter
{
    /// <summary>Writes the checkpoint of <paramref name="snapshot"/>, whose commit must already be in the log.</summary>
    public static async Task WriteAsync(IObjectStore store, Snapshot snapshot, CancellationToken ct)
    {
        if (await store.StatAsync(LogFileNames.Commit(snapshot.Version), ct) is null)
            throw new InvalidOperationException($"checkpoint {snapshot.Version} cannot be written before its commit");
        var (bytes, actions, adds) = Encode(snapshot);
        using var content = new MemoryStream(bytes, writable: false);
        await store.WriteAsync(LogFileNames.Checkpoint(snapshot.Version), content, ct);
        await WriteHintAsync(store, snapshot.Version, actions, bytes.Length, adds, ct);
    }

    /// <summary>
    /// Writes the checkpoint that starts a bootstrapped table (no commits before it). Put-if-absent: false when
    /// another writer created it first.
    /// </summary>
    public static async Task<bool> WriteFirstAsync(IObjectStore store, Snapshot snapshot, CancellationToken ct)
    {
        var (bytes, actions, adds) = Encode(snapshot);
        if (!await store.PutIfAbsentAsync(LogFileNames.Checkpoint(snapshot.Version), bytes, ct))
            return false;
        await WriteHintAsync(store, snapshot.Version, actions, bytes.Length, adds, ct);
        return true;
    }

    /// <summary>The checkpoint file for a snapshot: protocol, metaData, txns, domains, live adds and tombstones.</summary>
    public static (byte[] Bytes, long Actions, long Adds) Encode(Snapshot snapshot)
    {
        var rows = CheckpointRows.Build(snapshot);
        using var output = new MemoryStream();
        using (var writer = new ParquetFileWriter(output, CheckpointSchema.Root, new ParquetWriteOptions()))
            writer.WriteRowGroup(rows.Columns);
        return (output.ToArray(), rows.Count, snapshot.Files.Count);
    }

    private static async Task WriteHintAsync(IObjectStore store, long version, long actions, long bytes, long adds, CancellationToken ct)
    {
        var hint = new LastCheckpoint { Version = version, Size = actions, SizeInBytes = bytes, NumOfAddFiles = adds };
        using var content = new MemoryStream(hint.ToJson(), writable: false);
        await store.WriteAsync(LastCheckpoint.Key, content, ct);
    }
}
