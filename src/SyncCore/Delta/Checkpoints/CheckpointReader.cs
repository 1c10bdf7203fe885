using System.Runtime.CompilerServices;
using ReplicaSync.Parquet;
using ReplicaSync.Storage;

namespace ReplicaSync.Delta;

/// <summary>
/// Reads the actions of a classic (single-file or multi-part) checkpoint. Only the columns Delta defines are decoded;
/// columns a writer left out read as null, extra ones (stats_parsed, commitInfo, cdc) are ignored.
/// </summary>
public static class CheckpointReader
{
    /// <summary>The checkpoint's actions, decoded as far as <paramref name="read"/> asks.</summary>
    public static async IAsyncEnumerable<DeltaAction> ReadAsync(IObjectStore store, CheckpointInfo checkpoint, CheckpointRead read,
        [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var part in checkpoint.Parts)
        {
            ParquetFileReader reader;
            await using (var stream = await store.OpenReadAsync(part, null, ct))
                reader = await ParquetFileReader.OpenAsync(stream, part, ct);
            using (reader)
            {
                for (var group = 0; group < reader.RowGroupCount; group++)
                {
                    foreach (var action in new CheckpointRowGroup(reader, group).Actions(read))
                        yield return action;
                    ct.ThrowIfCancellationRequested();
                }
            }
        }
    }
}
