using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// Checks the replica against the provider table version by version: contiguous replica commits (after the
/// checkpoint a bootstrapped replica starts with), the replica txn at every version, and at every version the same
/// data files (by content hash, with partition values and deletion vector bytes), schema and partition columns.
/// </summary>
internal static class ReplicaComparer
{
    public static async Task AssertAlignedAsync(string providerRoot, string replicaRoot, string qualifiedTable, long? upTo = null, long from = 0)
    {
        var provider = new DeltaLog(new LocalObjectStore(providerRoot));
        var replica = new DeltaLog(new LocalObjectStore(replicaRoot));
        var last = upTo ?? (await provider.LatestVersionAsync(default))!.Value;
        var (earliest, latest) = (await replica.VersionRangeAsync(default))!.Value;
        Assert.Equal(last, latest);
        // Full history: commits 0..last. Bootstrapped at V: a checkpoint at V, then commits V+1..last.
        var commits = (await replica.ListCommitsAsync(default)).Select(c => c.Version).ToList();
        var firstCommit = commits.Contains(earliest) ? earliest : earliest + 1;
        Assert.Equal(Enumerable.Range(0, (int)(last - firstCommit + 1)).Select(i => firstCommit + i), commits);
        for (var version = Math.Max(from, earliest); version <= last; version++)
        {
            var providerState = (await provider.LoadSnapshotAsync(version, default))!;
            var replicaState = (await replica.LoadSnapshotAsync(version, default))!;
            var txn = replicaState.Transactions[ReplicaCommit.AppId(qualifiedTable)];
            Assert.Equal(version, txn.Version);
            if (commits.Contains(version))
            {
                var commit = await replica.ReadCommitAsync(version, null, default);
                Assert.IsType<CommitInfo>(commit.Actions[0]);
                Assert.Single(commit.Actions.OfType<SetTransaction>());
            }
            Assert.Equal(providerState.Metadata!.SchemaString, replicaState.Metadata!.SchemaString);
            Assert.Equal(providerState.Metadata.PartitionColumns, replicaState.Metadata.PartitionColumns);
            Assert.Equal(providerState.Protocol!.MinReaderVersion, replicaState.Protocol!.MinReaderVersion);
            Assert.Equal(Fingerprint(providerRoot, providerState), Fingerprint(replicaRoot, replicaState));
        }
    }

    /// <summary>One sorted line per live file: content hash, partition values, DV content hash and cardinality.</summary>
    public static List<string> Fingerprint(string root, Snapshot snapshot) =>
        snapshot.Files.Values.Select(f =>
        {
            var file = Path.Combine(root, ReplicaPaths.FromLogPath(f.Path));
            Assert.True(File.Exists(file), $"{file} is referenced at version {snapshot.Version} but missing");
            Assert.Equal(f.Size, new FileInfo(file).Length);
            var dv = f.DeletionVector is { } d ? $"dv={DvHash(root, d)}:{d.Offset}:{d.SizeInBytes}:{d.Cardinality}" : "";
            return $"{ProviderTableBuilder.Hash(file)} {ProviderTableBuilder.Describe(f.PartitionValues)} {dv}";
        }).Order(StringComparer.Ordinal).ToList();

    private static string DvHash(string root, DeletionVectorDescriptor dv) => dv.StorageType switch
    {
        "u" => ProviderTableBuilder.Hash(Path.Combine(root, DeletionVectorPath.RelativeFile(dv.PathOrInlineDv))),
        "i" => dv.PathOrInlineDv,
        _ => throw new InvalidOperationException($"unexpected DV storage type {dv.StorageType}"),
    };
}
