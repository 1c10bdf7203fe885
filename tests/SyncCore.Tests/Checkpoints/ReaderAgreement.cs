using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Checkpoints;

/// <summary>
/// Compares what our checkpoint reader returns for a file with what an independent reader (DuckDB, hyparquet)
/// returns for it: the add rows with every field (stats, tags) and the other actions as replay reads them.
/// </summary>
public static class ReaderAgreement
{
    public static async Task AssertSameAsync(string file, Dictionary<string, System.Text.Json.Nodes.JsonObject> readers, string reader)
    {
        var store = new LocalObjectStore(Path.GetDirectoryName(file)!);
        var checkpoint = new CheckpointInfo(0, [Path.GetFileName(file)]);
        var adds = await CheckpointReader.ReadAsync(store, checkpoint, CheckpointRead.Adds, default).Select(CheckpointJson.FromAction).ToListAsync();
        var others = await CheckpointReader.ReadAsync(store, checkpoint, CheckpointRead.Replay, default)
            .Where(a => a is not AddFile).Select(CheckpointJson.FromAction).ToListAsync();
        var rows = CheckpointJson.FromRows(readers.Rows(file, reader));
        Equal(rows.Where(r => r.StartsWith("add{", StringComparison.Ordinal)).ToList(), adds, $"{reader}, adds of {file}");
        Equal(rows.Where(r => !r.StartsWith("add{", StringComparison.Ordinal)).ToList(), others, $"{reader}, other actions of {file}");
        Assert.NotEmpty(rows);
    }

    private static void Equal(List<string> expected, List<string> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {expected.Count} rows expected, {actual.Count} read");
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i] != actual[i])
                Assert.Fail($"{what}: row {i} differs\nexpected: {expected[i]}\nactual:   {actual[i]}");
        }
    }
}
