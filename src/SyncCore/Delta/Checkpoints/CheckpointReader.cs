using System.Runtime.CompilerServices;
using Parquet;
using ReplicaSync.Storage;

namespace ReplicaSync.Delta;

/// <summary>
/// Reads the actions of a classic (single-file or multi-part) checkpoint, row group by row group. Only the columns
/// Delta defines are decoded; columns a writer left out read as null, extra ones (stats_parsed, commitInfo, cdc) are
/// ignored. A file Parquet.Net cannot decode fails with a <see cref="DeltaFormatException"/> naming it.
/// </summary>
public static class CheckpointReader
{
    // The checkpoint schema has no binary columns: a writer that left out the UTF-8 annotation still wrote text.
    private static readonly ParquetOptions ReadOptions = new() { TreatByteArrayAsString = true };

    /// <summary>The checkpoint's actions, decoded as far as <paramref name="read"/> asks.</summary>
    public static async IAsyncEnumerable<DeltaAction> ReadAsync(IObjectStore store, CheckpointInfo checkpoint, CheckpointRead read,
        [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var part in checkpoint.Parts)
        {
            await using var stream = await OpenSeekableAsync(store, part, ct);
            // RLE lets a few bytes stand for many levels, so the bound is generous, but it keeps a forged count
            // from allocating far more than any real file of this size could describe.
            var sizeLimit = Math.Min(Array.MaxLength, (1L << 20) + 64L * stream.Length);
            await using var reader = await OpenAsync(stream, part, ct);
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                await foreach (var action in new CheckpointRowGroup(reader, group, part, sizeLimit).ActionsAsync(read, ct))
                    yield return action;
            }
        }
    }

    private static async Task<ParquetReader> OpenAsync(Stream stream, string part, CancellationToken ct)
    {
        try
        {
            return await ParquetReader.CreateAsync(stream, ReadOptions, leaveStreamOpen: true, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw LeafColumn.Corrupt(part, "not a readable Parquet file", e);
        }
    }

    // Parquet.Net seeks to the footer and then to each column chunk; a store stream that cannot seek is buffered.
    private static async Task<Stream> OpenSeekableAsync(IObjectStore store, string part, CancellationToken ct)
    {
        var stream = await store.OpenReadAsync(part, null, ct);
        if (stream.CanSeek)
            return stream;
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            copy.Position = 0;
            return copy;
        }
    }
}
