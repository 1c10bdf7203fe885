using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;
using ReplicaSync.Vacuum;

namespace ReplicaSync.Integration.Tests;

/// <summary>Vacuum through its API on real replicas: what goes, what stays, and that the replica stays readable.</summary>
public class VacuumTests
{
    [Fact]
    public async Task Vacuum_deletes_expired_removed_files_and_old_debris_and_keeps_every_live_file()
    {
        await using var r = await VacuumReplica.CreateAsync();
        var snapshot = await r.SnapshotAsync();
        var live = await VacuumReplica.LiveKeysAsync(r.Replica.Path);
        // Provider commits are from 2023, so every tombstone is older than the default week.
        var removed = snapshot.Tombstones.Keys.Select(k => ReplicaPaths.FromLogPath(k.Path)).Where(k => !live.Contains(k)).ToHashSet();
        Assert.True(removed.Count >= 8, $"the grown table should have removed files, has {removed.Count}");
        var vacuum = new TableVacuum(new LocalObjectStore(r.Replica.Path));

        var plan = await vacuum.PlanAsync(new VacuumOptions(), DateTimeOffset.UtcNow, default);

        var expected = removed.Select(k => (k, DeletionReason.ExpiredTombstone))
            .Concat(VacuumReplica.Debris.Select(k => (k, DeletionReason.Unreferenced)))
            .OrderBy(p => p.k, StringComparer.Ordinal);
        Assert.Equal(expected, plan.Deletions.Select(d => (d.Path, d.Reason)));
        Assert.Empty(plan.Warnings);

        var done = await vacuum.ExecuteAsync(plan, new VacuumOptions(), default);

        Assert.Equal(plan.Deletions.Count, done.Files);
        Assert.Equal(plan.Deletions.Sum(d => d.Size), done.Bytes);
        var left = VacuumReplica.Files(r.Replica.Path);
        Assert.All(plan.Deletions, d => Assert.DoesNotContain(d.Path, left));
        Assert.Subset(left, live);
        Assert.Subset(left, VacuumReplica.Keepers.ToHashSet());
        await r.AssertLatestAlignedAsync();
        Assert.Empty((await vacuum.PlanAsync(new VacuumOptions(), DateTimeOffset.UtcNow, default)).Deletions);
    }

    [Fact]
    public async Task Files_removed_after_the_cutoff_stay_so_every_version_after_it_remains_readable()
    {
        await using var r = await VacuumReplica.CreateAsync();
        var log = new DeltaLog(new LocalObjectStore(r.Replica.Path));
        var v5 = await log.ReadCommitAsync(5, null, default);
        var retention = TimeSpan.FromDays(7);
        // "now" is chosen so that the cutoff falls exactly on version 5's commit time.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(v5.Timestamp) + retention;

        var vacuum = new TableVacuum(new LocalObjectStore(r.Replica.Path));
        var plan = await vacuum.PlanAsync(new VacuumOptions { Retention = retention, GracePeriod = TimeSpan.FromDays(365 * 100) }, now, default);

        var snapshot = await r.SnapshotAsync();
        var live = await VacuumReplica.LiveKeysAsync(r.Replica.Path);
        var expired = snapshot.Tombstones.Values.Where(t => t.DeletionTimestamp < v5.Timestamp)
            .Select(t => ReplicaPaths.FromLogPath(t.Path)).Where(k => !live.Contains(k)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expired);
        Assert.True(snapshot.Tombstones.Values.Count(t => t.DeletionTimestamp >= v5.Timestamp) > 0);
        Assert.Equal(expired, plan.Deletions.Select(d => d.Path));

        await vacuum.ExecuteAsync(plan, new VacuumOptions(), default);
        await ReplicaComparer.AssertAlignedAsync(r.Provider.Path, r.Replica.Path, r.QualifiedName, from: 5);
    }

    [Fact]
    public async Task The_live_deletion_vector_of_table_with_dv_small_survives_a_vacuum_of_its_replica()
    {
        const string directory = "table-with-dv-small";
        var table = ReplicationTests.SharedName(directory);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = TestPaths.Table(directory) });
        using var replica = new TempDirectory("vacuum-dv");
        await ReplicationTests.SyncAsync(sharing, table, replica.Path);
        var live = await VacuumReplica.LiveKeysAsync(replica.Path);
        Assert.Contains(live, k => k.StartsWith("deletion_vector_", StringComparison.Ordinal));
        // Version 1 removed (file, no DV) and added (file, DV): a tombstone from 2023 on the path of the live file.
        var snapshot = (await new DeltaLog(new LocalObjectStore(replica.Path)).LoadSnapshotAsync(null, default))!;
        var tombstone = Assert.Single(snapshot.Tombstones.Values);
        Assert.Contains(ReplicaPaths.FromLogPath(tombstone.Path), live);
        var vacuum = new TableVacuum(new LocalObjectStore(replica.Path));

        var plan = await vacuum.PlanAsync(new VacuumOptions { Retention = TimeSpan.Zero, GracePeriod = TimeSpan.Zero }, DateTimeOffset.UtcNow, default);
        await vacuum.ExecuteAsync(plan, new VacuumOptions(), default);

        Assert.Empty(plan.Deletions);
        Assert.Subset(VacuumReplica.Files(replica.Path), live);
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table(directory), replica.Path, sharing.Address(table).QualifiedName, from: snapshot.Version);
    }

    [Fact]
    public async Task Vacuum_of_a_cdf_table_replica_deletes_only_the_change_data_of_versions_beyond_the_retention()
    {
        var provider = TestPaths.Table("cdf-table");
        var table = ReplicationTests.SharedName("cdf-table");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = provider });
        using var replica = new TempDirectory("vacuum-cdf");
        await ReplicationTests.SyncAsync(sharing, table, replica.Path);
        Assert.Equal([1L, 2L, 3L], await ChangeDataComparer.AssertSameChangeFilesAsync(provider, replica.Path, 0, 3));
        // A day after version 3: the replica's commits carry the provider's times, so versions 1 and 2 are beyond the week.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1704559499570).AddDays(1);
        var vacuum = new TableVacuum(new LocalObjectStore(replica.Path));

        var plan = await vacuum.PlanAsync(new VacuumOptions { GracePeriod = TimeSpan.Zero }, now, default);
        await vacuum.ExecuteAsync(plan, new VacuumOptions(), default);

        Assert.Equal(12, plan.Deletions.Count(d => d.Reason == DeletionReason.ExpiredChangeData));
        Assert.Equal([3L], await ChangeDataComparer.AssertSameChangeFilesAsync(provider, replica.Path, 3, 3));
        await ReplicaComparer.AssertAlignedAsync(provider, replica.Path, sharing.Address(table).QualifiedName, from: 3);
    }

    [Fact]
    public async Task A_dry_plan_of_cdf_table_in_place_keeps_the_change_data_of_versions_within_the_retention()
    {
        var root = TestPaths.Table("cdf-table");
        // A day after version 3 (2024-01-06): with the default 7 days, versions 1 and 2 (December 2023) are out of reach.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1704559499570).AddDays(1);
        var plan = await new TableVacuum(new LocalObjectStore(root)).PlanAsync(new VacuumOptions { GracePeriod = TimeSpan.Zero }, now, default);

        var log = new DeltaLog(new LocalObjectStore(root));
        async Task<List<string>> ChangeFilesOf(long version) =>
            (await log.ReadCommitAsync(version, null, default)).Actions.OfType<CdcFile>().Select(c => ReplicaPaths.FromLogPath(c.Path)).ToList();
        var expired = (await ChangeFilesOf(1)).Concat(await ChangeFilesOf(2)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(12, expired.Count);
        Assert.Equal(expired, plan.Deletions.Where(d => d.Reason == DeletionReason.ExpiredChangeData).Select(d => d.Path).ToList());
        Assert.All(await ChangeFilesOf(3), k => Assert.DoesNotContain(k, plan.Deletions.Select(d => d.Path)));
        Assert.All(plan.Deletions, d => Assert.DoesNotContain("/.", "/" + d.Path));
        Assert.All(plan.Deletions.Where(d => !d.Path.StartsWith("_change_data/", StringComparison.Ordinal)),
            d => Assert.Equal(DeletionReason.ExpiredTombstone, d.Reason));
    }
}
