using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Tests.Delta;
using ReplicaSync.TestSupport;
using ReplicaSync.Vacuum;

namespace ReplicaSync.Tests.Vacuum;

/// <summary>The I/O around the planner on a local store: listing (temp files included), the log read, deletes.</summary>
public class TableVacuumTests
{
    private static readonly DateTimeOffset Old = DateTimeOffset.UtcNow.AddDays(-30);

    private static async Task<LocalObjectStore> TableAsync(TempDirectory dir)
    {
        var store = new LocalObjectStore(dir.Path);
        var writer = new CommitWriter(store);
        await writer.WriteAsync(0, [.. TestTables.CreateActions(), new AddFile { Path = "live.parquet", Size = 1, DataChange = true }], default);
        await writer.WriteAsync(1, [new RemoveFile { Path = "live.parquet", DeletionTimestamp = Old.ToUnixTimeMilliseconds(), DataChange = true },
                                    new AddFile { Path = "new.parquet", Size = 1, DataChange = true }], default);
        Touch(dir, "live.parquet", Old);
        Touch(dir, "new.parquet", Old);
        return store;
    }

    private static void Touch(TempDirectory dir, string key, DateTimeOffset mtime)
    {
        var path = dir.Combine(key.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
        File.SetLastWriteTimeUtc(path, mtime.UtcDateTime);
    }

    [Fact]
    public async Task Temp_files_left_in_the_store_are_found_and_deleted_through_the_store()
    {
        using var dir = new TempDirectory("vacuum");
        var store = await TableAsync(dir);
        Touch(dir, "p=1/.part-9.parquet.replicasync-tmp-0a1b", Old);
        Touch(dir, "_delta_log/.00000000000000000002.json.replicasync-tmp-2c3d", Old);
        var vacuum = new TableVacuum(store);

        var plan = await vacuum.PlanAsync(new VacuumOptions(), DateTimeOffset.UtcNow, default);
        Assert.Equal(
            [("_delta_log/.00000000000000000002.json.replicasync-tmp-2c3d", DeletionReason.Unreferenced),
             ("live.parquet", DeletionReason.ExpiredTombstone),
             ("p=1/.part-9.parquet.replicasync-tmp-0a1b", DeletionReason.Unreferenced)],
            plan.Deletions.Select(d => (d.Path, d.Reason)));
        var done = await vacuum.ExecuteAsync(plan, new VacuumOptions { MaxParallelDeletes = 2 }, default);

        Assert.Equal(3, done.Files);
        Assert.Equal(["00000000000000000000.json", "00000000000000000001.json"],
            Directory.GetFiles(dir.Combine("_delta_log")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(dir.Combine("live.parquet")));
        Assert.True(File.Exists(dir.Combine("new.parquet")));
        Assert.Empty(Directory.GetFiles(dir.Combine("p=1")));
        Assert.Empty((await vacuum.PlanAsync(new VacuumOptions(), DateTimeOffset.UtcNow, default)).Deletions);
    }

    [Fact]
    public async Task A_directory_without_a_delta_log_is_refused()
    {
        using var dir = new TempDirectory("vacuum");
        Touch(dir, "orphan.parquet", Old);
        var e = await Assert.ThrowsAsync<VacuumException>(() => new TableVacuum(new LocalObjectStore(dir.Path)).PlanAsync(new VacuumOptions(), DateTimeOffset.UtcNow, default));
        Assert.Contains("no Delta table", e.Message);
        Assert.True(File.Exists(dir.Combine("orphan.parquet")));
    }

    [Fact]
    public async Task A_commit_written_between_planning_and_deleting_stops_the_run_before_any_delete()
    {
        using var dir = new TempDirectory("vacuum");
        var store = await TableAsync(dir);
        Touch(dir, "copied-not-yet-committed.parquet", Old);
        var vacuum = new TableVacuum(store);
        var plan = await vacuum.PlanAsync(new VacuumOptions(), DateTimeOffset.UtcNow, default);
        Assert.Contains(plan.Deletions, d => d.Path == "copied-not-yet-committed.parquet");

        await new CommitWriter(store).WriteAsync(2, [new AddFile { Path = "copied-not-yet-committed.parquet", Size = 1, DataChange = true }], default);
        var e = await Assert.ThrowsAsync<VacuumException>(() => vacuum.ExecuteAsync(plan, new VacuumOptions(), default));

        Assert.Contains("moved from version 1 to 2", e.Message);
        Assert.True(File.Exists(dir.Combine("copied-not-yet-committed.parquet")));
        Assert.True(File.Exists(dir.Combine("live.parquet")));
    }
}
