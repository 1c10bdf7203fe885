using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// Compares the change data of a replica with its provider's, version by version: the cdc actions of each commit (file
/// content hash, partition values, size, dataChange), and the change rows <c>table_changes</c> would return, read with
/// DuckDB (cdc file rows where a commit has them, else its added rows as inserts and removed rows as deletes).
/// </summary>
internal static class ChangeDataComparer
{
    /// <summary>Asserts equal cdc actions at every version in [from, to]; returns the versions that carry change data.</summary>
    public static async Task<List<long>> AssertSameChangeFilesAsync(string providerRoot, string replicaRoot, long from, long to)
    {
        var provider = new DeltaLog(new LocalObjectStore(providerRoot));
        var replica = new DeltaLog(new LocalObjectStore(replicaRoot));
        var carrying = new List<long>();
        for (var version = from; version <= to; version++)
        {
            var expected = Describe(providerRoot, await provider.ReadCommitAsync(version, null, default));
            var actual = Describe(replicaRoot, await replica.ReadCommitAsync(version, null, default));
            Assert.True(expected.SequenceEqual(actual),
                $"change data of version {version} differs\nprovider: {string.Join("; ", expected)}\nreplica:  {string.Join("; ", actual)}");
            if (actual.Count > 0)
                carrying.Add(version);
        }
        return carrying;
    }

    /// <summary>The change rows of every version in [from, to] of a table of real Parquet files, sorted per version.</summary>
    public static async Task<SortedDictionary<long, List<string>>> TableChangesAsync(string root, long from, long to)
    {
        var log = new DeltaLog(new LocalObjectStore(root));
        var sources = new List<(long Version, string File, string Partition, string? ChangeType)>();
        for (var version = from; version <= to; version++)
        {
            var commit = await log.ReadCommitAsync(version, null, default);
            var changes = commit.Actions.OfType<CdcFile>().ToList();
            if (changes.Count > 0)
            {
                sources.AddRange(changes.Select(c => (version, File(root, c.Path), ProviderTableBuilder.Describe(c.PartitionValues), (string?)null)));
                continue;
            }
            foreach (var action in commit.Actions)
            {
                if (action is AddFile { DataChange: true } add)
                    sources.Add((version, File(root, add.Path), ProviderTableBuilder.Describe(add.PartitionValues), "insert"));
                else if (action is RemoveFile { DataChange: true } remove)
                    sources.Add((version, File(root, remove.Path), ProviderTableBuilder.Describe(remove.PartitionValues!), "delete"));
            }
        }
        var read = NodeReaders.Read(NodeReaders.DuckDb, sources.Select(s => s.File).Distinct().ToList());
        var rows = new SortedDictionary<long, List<string>>();
        for (var version = from; version <= to; version++)
            rows[version] = [];
        foreach (var (version, file, partition, changeType) in sources)
        {
            foreach (var row in read.Rows(file, "DuckDB"))
            {
                var values = row!.AsObject();
                var type = changeType ?? (string)values["_change_type"]!;
                values.Remove("_change_type");
                rows[version].Add($"{type} {values.ToJsonString()} {partition}");
            }
        }
        foreach (var list in rows.Values)
            list.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static List<string> Describe(string root, Commit commit) =>
        commit.Actions.OfType<CdcFile>().Select(c =>
        {
            var file = File(root, c.Path);
            Assert.True(System.IO.File.Exists(file), $"{file} is named by a cdc action of version {commit.Version} but missing");
            Assert.Equal(c.Size, new FileInfo(file).Length);
            return $"{ProviderTableBuilder.Hash(file)} {ProviderTableBuilder.Describe(c.PartitionValues)} {c.Size} dataChange={c.DataChange}";
        }).Order(StringComparer.Ordinal).ToList();

    private static string File(string root, string logPath) => Path.Combine(root, ReplicaPaths.FromLogPath(logPath));
}
