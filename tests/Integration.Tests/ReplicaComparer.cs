using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// Checks the replica against the provider table version by version: one replica commit per provider version,
/// each carrying the replica txn, and at every version the same data files (by content hash, with partition
/// values and deletion vector bytes), the same schema and the same partition columns.
/// </summary>
internal static class ReplicaComparer
{
    public static async Task AssertAlignedAsync(string providerRoot, string replicaRoot, string qualifiedTable, long? upTo = null, long from = 0)
    {
        var provider = new DeltaLog(new LocalObjectStore(providerRoot));
        var replica = new DeltaLog(new LocalObjectStore(replicaRoot));
        var last = upTo ?? (await provider.LatestVersionAsync(default))!.Value;
        Assert.Equal(last, await replica.LatestVersionAsync(default));
        var providerState = new Snapshot();
        var replicaState = new Snapshot();
        await using var providerCommits = provider.ReadCommitsAsync(0, last, default).GetAsyncEnumerator();
        await foreach (var commit in replica.ReadCommitsAsync(0, last, default))
        {
            Assert.True(await providerCommits.MoveNextAsync());
            providerState.Apply(providerCommits.Current);
            replicaState.Apply(commit);
            var txn = Assert.Single(commit.Actions.OfType<SetTransaction>());
            Assert.Equal(ReplicaCommit.AppId(qualifiedTable), txn.AppId);
            Assert.Equal(commit.Version, txn.Version);
            Assert.IsType<CommitInfo>(commit.Actions[0]);
            if (commit.Version < from)
                continue;
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
