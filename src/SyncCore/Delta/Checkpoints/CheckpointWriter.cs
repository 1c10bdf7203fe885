using Parquet;
using ReplicaSync.Memory;
using ReplicaSync.Storage;

namespace ReplicaSync.Delta;

/// <summary>
/// Writes a classic single-file checkpoint of a snapshot and then <c>_last_checkpoint</c>. A checkpoint is only
/// written once its commit exists (or, for a bootstrap, as the table's first entry, put-if-absent). The snapshot
/// holds slim live files, so the full add actions come separately, e.g. from <see cref="DeltaLog.ScanLiveAddsAsync"/>.
/// </summary>
public static class CheckpointWriter
{
    // Rows per row group: bounds the shredded columns held at once, whatever the table's file count. The adds held
    // for a row group live until it is encoded: at 100,000 rows they outlived gen0 and the write spent its time in gen1
    // collections; at 25,000 replay paid for the extra row groups. 50,000 keeps both within the own codec's figures
    // (benchmarks/README.md).
    private const int RowGroupRows = 50_000;
    // A bootstrap's checkpoint is written at its run's memory peak; half the rows per group cost its later replays ~7%
    // (benchmarks/README.md, Checkpoints) until the next checkpoint replaces it.
    private const int FirstRowGroupRows = 25_000;

    // Snappy, as Spark writes checkpoints by default; every Delta reader decodes it.
    private static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.Snappy };

    /// <summary>
    /// Writes the checkpoint of <paramref name="snapshot"/>, whose commit must already be in the log;
    /// <paramref name="adds"/> are the full add actions of exactly its live files.
    /// </summary>
    public static async Task WriteAsync(IObjectStore store, Snapshot snapshot, IAsyncEnumerable<AddFile> adds, CancellationToken ct)
    {
        if (await store.StatAsync(LogFileNames.Commit(snapshot.Version), ct) is null)
            throw new InvalidOperationException($"checkpoint {snapshot.Version} cannot be written before its commit");
        await using var file = EncodingFile();
        var (actions, count) = await EncodeAsync(snapshot, adds, file, RowGroupRows, ct);
        var length = file.Length;
        file.Position = 0;
        await store.WriteAsync(LogFileNames.Checkpoint(snapshot.Version), file, ct);
        await WriteHintAsync(store, snapshot.Version, actions, length, count, ct);
    }

    /// <summary>
    /// Writes the checkpoint that starts a bootstrapped table (no commits before it). Put-if-absent: false when
    /// another writer created it first.
    /// </summary>
    public static async Task<bool> WriteFirstAsync(IObjectStore store, Snapshot snapshot, IAsyncEnumerable<AddFile> adds, CancellationToken ct)
    {
        await using var file = EncodingFile();
        // A bootstrap's checkpoint comes at its run's peak (the snapshot just built, the adds read back): one smaller row
        // group is held at a time, encoded before the next is shredded.
        var (actions, count) = await EncodeAsync(snapshot, adds, file, FirstRowGroupRows, ct, overlap: false);
        if (!await store.PutIfAbsentAsync(LogFileNames.Checkpoint(snapshot.Version), file, ct))
            return false;
        await WriteHintAsync(store, snapshot.Version, actions, file.Length, count, ct);
        return true;
    }

    /// <summary>
    /// The checkpoint file: protocol, metaData, txns, domains, the live adds and tombstones, in row groups of at most
    /// <see cref="RowGroupRows"/> rows. Throws when an add is not a live file of the snapshot or the add count differs
    /// from the snapshot's, as a scan at another version would.
    /// </summary>
    public static Task<(byte[] Bytes, long Actions, long Adds)> EncodeAsync(Snapshot snapshot, IAsyncEnumerable<AddFile> adds, CancellationToken ct) =>
        EncodeAsync(snapshot, adds, RowGroupRows, ct);

    /// <summary>
    /// <see cref="EncodeAsync(Snapshot, IAsyncEnumerable{AddFile}, CancellationToken)"/> with a chosen row group size (tests use
    /// small ones) and with or without encoding one row group while shredding the next.
    /// </summary>
    internal static async Task<(byte[] Bytes, long Actions, long Adds)> EncodeAsync(Snapshot snapshot, IAsyncEnumerable<AddFile> adds, int rowGroupRows,
        CancellationToken ct, bool overlap = true)
    {
        using var output = new MemoryStream();
        var (actions, count) = await EncodeAsync(snapshot, adds, output, rowGroupRows, ct, overlap);
        return (output.ToArray(), actions, count);
    }

    /// <summary>
    /// A local scratch file the checkpoint is encoded into before it is stored, so that a checkpoint of millions of files
    /// is never held in memory whole.
    /// </summary>
    private static FileStream EncodingFile() => ScratchFile.Create("replicasync-checkpoint", ".parquet");

    /// <summary>
    /// Encodes into <paramref name="output"/>. With <paramref name="overlap"/>, two row buffers: a full one is encoded
    /// while the next one is shredded (faster, twice the rows in memory); without, one.
    /// </summary>
    private static async Task<(long Actions, long Adds)> EncodeAsync(Snapshot snapshot, IAsyncEnumerable<AddFile> adds, Stream output, int rowGroupRows,
        CancellationToken ct, bool overlap = true)
    {
        var rows = new CheckpointRows();
        var spare = overlap ? new CheckpointRows() : rows;
        long actions = 0, addCount = 0;
        await using (var writer = await ParquetWriter.CreateAsync(CheckpointSchema.Root, output, WriteOptions, append: false, ct))
        {
            var encoding = Task.CompletedTask;
            async Task FlushAsync(int atLeast)
            {
                if (rows.Count < atLeast)
                    return;
                actions += rows.Count;
                await encoding;
                // A checkpoint of millions of files is a bulk phase of its own: its garbage grows the GC's budget again.
                HeapSlack.Trim();
                var full = rows;
                (rows, spare) = (spare, rows);
                encoding = Task.Run(() => full.WriteRowGroupAsync(writer, ct), ct);
                if (!overlap)
                    await encoding;
            }

            try
            {
                rows.Add(snapshot.Protocol!);
                rows.Add(snapshot.Metadata!);
                foreach (var txn in snapshot.Transactions.Values)
                    rows.Add(txn);
                foreach (var domain in snapshot.Domains.Values)
                    rows.Add(domain);
                await foreach (var add in adds.WithCancellation(ct))
                {
                    if (!snapshot.Files.ContainsKey(add.Key))
                        throw new InvalidOperationException($"checkpoint {snapshot.Version}: {add.Path} is not a live file of the snapshot");
                    rows.Add(add);
                    addCount++;
                    await FlushAsync(rowGroupRows);
                }
                if (addCount != snapshot.Files.Count)
                    throw new InvalidOperationException($"checkpoint {snapshot.Version}: {addCount} adds given for {snapshot.Files.Count} live files");
                foreach (var remove in snapshot.Tombstones.Values)
                {
                    rows.Add(remove);
                    await FlushAsync(rowGroupRows);
                }
                await FlushAsync(1);
                await encoding;
            }
            finally
            {
                // On failure too, the writer must not be disposed while a row group is still being encoded.
                await Task.WhenAny(encoding);
            }
        }
        return (actions, addCount);
    }

    private static async Task WriteHintAsync(IObjectStore store, long version, long actions, long bytes, long adds, CancellationToken ct)
    {
        var hint = new LastCheckpoint { Version = version, Size = actions, SizeInBytes = bytes, NumOfAddFiles = adds };
        using var content = new MemoryStream(hint.ToJson(), writable: false);
        await store.WriteAsync(LastCheckpoint.Key, content, ct);
    }
}
