using System.Text.Json;
using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>Reads a table's log directly, independent of the server, to derive expected answers.</summary>
internal static class LogFiles
{
    /// <summary>The raw lines of commit <paramref name="version"/> as JSON, straight from the file.</summary>
    public static List<JsonElement> Commit(string table, long version) =>
        File.ReadAllLines(Path.Combine(table, LogFileNames.Commit(version)))
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToList();

    public static long CommitCount(string table) =>
        Directory.GetFiles(Path.Combine(table, "_delta_log"), "*.json").Count(f => LogFileNames.ParseCommitVersion("_delta_log/" + Path.GetFileName(f)) is not null);

    public static async Task<Snapshot> SnapshotAsync(string table, long? version = null) =>
        (await new DeltaLog(new LocalObjectStore(table)).LoadSnapshotAsync(version, CancellationToken.None))!;
}
