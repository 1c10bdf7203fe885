using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// Checks a replica that follows its provider by snapshot steps: the versions it holds are exactly
/// <c>held</c>, each equals the provider's at that version by content hash (and carries the replica txn at that
/// version), its latest version replays from a checkpoint alone, and every version between two held ones is absent.
/// </summary>
internal static class StepReplicaCheck
{
    public static async Task AssertHeldAlignedAsync(string providerRoot, string replicaRoot, string qualifiedTable, params long[] held)
    {
        var provider = new DeltaLog(new LocalObjectStore(providerRoot));
        var store = new LocalObjectStore(replicaRoot);
        var replica = new DeltaLog(store);
        var checkpoints = Directory.GetFiles(Path.Combine(replicaRoot, "_delta_log"), "*.checkpoint.parquet")
            .Select(f => LogFileNames.ParseCheckpoint(LogFileNames.LogDir + Path.GetFileName(f)).Version!.Value);
        var commits = (await replica.ListCommitsAsync(default)).Select(c => c.Version);
        Assert.Equal(held, commits.Concat(checkpoints).Distinct().Order());

        // Replay of the latest version needs the checkpoint at that version and no commit file.
        var latest = await LogSegment.BuildAsync(store, null, default);
        Assert.Equal(held[^1], latest!.Version);
        Assert.Equal(held[^1], latest.Checkpoint!.Version);
        Assert.Empty(latest.Commits);

        foreach (var version in held)
        {
            var expected = (await provider.LoadSnapshotAsync(version, default))!;
            var actual = (await replica.LoadSnapshotAsync(version, default))!;
            Assert.Equal(version, actual.Transactions[ReplicaCommit.AppId(qualifiedTable)].Version);
            Assert.Equal(expected.Metadata!.SchemaString, actual.Metadata!.SchemaString);
            Assert.Equal(ReplicaComparer.Fingerprint(providerRoot, expected), ReplicaComparer.Fingerprint(replicaRoot, actual));
        }
        for (var version = held[0] + 1; version < held[^1]; version++)
        {
            if (!held.Contains(version))
                await Assert.ThrowsAsync<DeltaFormatException>(() => replica.LoadSnapshotAsync(version, default));
        }
    }
}
