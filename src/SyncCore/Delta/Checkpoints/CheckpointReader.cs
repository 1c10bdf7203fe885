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
    /// <summary>The checkpoint's actions; with <paramref name="protocolAndMetadataOnly"/> only those two columns are decoded.</summary>
    public static async IAsyncEnumerable<DeltaAction> ReadAsync(IObjectStore store, CheckpointInfo checkpoint,
        [EnumeratorCancellation] CancellationToken ct, bool protocolAndMetadataOnly = false)
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
                    foreach (var action in new CheckpointRowGroup(reader, group).Actions(protocolAndMetadataOnly))
                        yield return action;
                    ct.ThrowIfCancellationRequested();
                }
            }
        }
    }
}
