using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Vacuum;
using static ReplicaSync.Tests.Vacuum.VacuumTable;

namespace ReplicaSync.Tests.Vacuum;

public class VacuumPlannerTests
{
    private static Dictionary<string, DeletionReason> Planned(VacuumPlan plan) =>
        plan.Deletions.ToDictionary(d => d.Path, d => d.Reason);

    [Fact]
    public void A_tombstone_older_than_the_default_week_goes_and_a_younger_one_stays()
    {
        var plan = new VacuumTable()
            .Commit(Add("old.parquet"), Add("young.parquet"), Add("live.parquet"))
            .Commit(Remove("old.parquet", Days(8)), Remove("young.parquet", Days(6)))
            .Plan(null, Listed("old.parquet", Days(30)), Listed("young.parquet", Days(30)), Listed("live.parquet", Days(30)));

        Assert.Equal(new Dictionary<string, DeletionReason> { ["old.parquet"] = DeletionReason.ExpiredTombstone }, Planned(plan));
        Assert.Equal(TimeSpan.FromDays(7), plan.Retention.Effective);
        Assert.Equal(Now - TimeSpan.FromDays(7), plan.TombstoneCutoff);
    }

    [Fact]
    public void The_table_retention_property_and_an_explicit_retention_decide_expiry()
    {
        var table = new VacuumTable(configuration: new() { [RetentionPolicy.Property] = "interval 2 days" })
            .Commit(Add("a.parquet"), Add("b.parquet"))
            .Commit(Remove("a.parquet", Days(3)), Remove("b.parquet", Hours(5)));
        ObjectInfo[] listing = [Listed("a.parquet", Days(9)), Listed("b.parquet", Days(9))];

        Assert.Equal(["a.parquet"], table.Plan(null, listing).Deletions.Select(d => d.Path));
        var shorter = table.Plan(new VacuumOptions { Retention = Hours(4) }, listing);
        Assert.Equal(["a.parquet", "b.parquet"], shorter.Deletions.Select(d => d.Path));
        Assert.Contains(shorter.Warnings, w => w.Contains("shorter than the table's", StringComparison.Ordinal));
        var longer = table.Plan(new VacuumOptions { Retention = Days(4) }, listing);
        Assert.Empty(longer.Deletions);
        Assert.Empty(longer.Warnings);
    }

    [Fact]
    public void A_tombstone_exactly_at_the_cutoff_or_without_a_deletion_timestamp_stays()
    {
        var noTimestamp = new RemoveFile { Path = "unknown.parquet", DataChange = true };
        var plan = new VacuumTable()
            .Commit(Add("edge.parquet"), Add("unknown.parquet"))
            .Commit(Remove("edge.parquet", Days(7)), noTimestamp)
            .Plan(null, Listed("edge.parquet", Days(30)), Listed("unknown.parquet", Days(30)));
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void A_retention_longer_than_the_calendar_keeps_every_removed_file()
    {
        var plan = new VacuumTable().Commit(Add("a.parquet")).Commit(Remove("a.parquet", Days(3000)))
            .Plan(new VacuumOptions { Retention = TimeSpan.FromDays(365.0 * 9000) }, Listed("a.parquet", Days(3000)));
        Assert.Empty(plan.Deletions);
        Assert.Equal(DateTimeOffset.MinValue, plan.TombstoneCutoff);
    }

    [Fact]
    public void A_malformed_retention_property_refuses_the_plan_naming_the_property()
    {
        var table = new VacuumTable(configuration: new() { [RetentionPolicy.Property] = "interval 1 month" });
        var e = Assert.Throws<VacuumException>(() => table.Plan(null));
        Assert.Contains(RetentionPolicy.Property, e.Message);
    }

    [Fact]
    public void An_orphan_goes_only_when_older_than_the_grace_period()
    {
        var table = new VacuumTable().Commit(Add("live.parquet"));
        ObjectInfo[] listing = [Listed("orphan-old.parquet", Hours(2)), Listed("orphan-new.parquet", TimeSpan.FromMinutes(30)), Listed("live.parquet", Days(100))];

        Assert.Equal(new Dictionary<string, DeletionReason> { ["orphan-old.parquet"] = DeletionReason.Unreferenced }, Planned(table.Plan(null, listing)));
        Assert.Empty(table.Plan(new VacuumOptions { GracePeriod = Hours(3) }, listing).Deletions);
        Assert.Equal(["orphan-new.parquet", "orphan-old.parquet"],
            table.Plan(new VacuumOptions { GracePeriod = TimeSpan.FromMinutes(10) }, listing).Deletions.Select(d => d.Path));
    }

    [Fact]
    public void A_live_file_stays_even_with_an_old_mtime_and_an_expired_tombstone_under_another_dv_id()
    {
        var dv = Guid.Parse("61d16c75-6994-46b7-a15b-8b538852e50e");
        // As in table-with-dv-small: (path, no DV) removed long ago, (path, DV) live.
        var plan = new VacuumTable(new Protocol { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = ["deletionVectors"], WriterFeatures = ["deletionVectors"] })
            .Commit(Add("data.parquet"))
            .Commit(Remove("data.parquet", Days(400)), Add("data.parquet", Dv(dv)))
            .Plan(null, Listed("data.parquet", Days(500)), Listed(DvFile(dv), Days(500)));
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void Dv_files_of_removed_files_go_with_them_but_a_dv_file_a_live_file_uses_stays()
    {
        Guid old = Guid.NewGuid(), current = Guid.NewGuid(), shared = Guid.NewGuid();
        var plan = new VacuumTable()
            .Commit(Add("a.parquet", Dv(old)), Add("gone.parquet", Dv(shared, offset: 1)), Add("kept.parquet", Dv(shared, offset: 40)))
            // a.parquet's DV is replaced; gone.parquet is deleted but its DV file also holds kept.parquet's vector.
            .Commit(Remove("a.parquet", Days(10), Dv(old)), Add("a.parquet", Dv(current)), Remove("gone.parquet", Days(10), Dv(shared, offset: 1)))
            .Plan(null,
                Listed("a.parquet", Days(20)), Listed(DvFile(old), Days(20)), Listed(DvFile(current), Days(20)),
                Listed("gone.parquet", Days(20)), Listed("kept.parquet", Days(20)), Listed(DvFile(shared), Days(20)));

        Assert.Equal(new Dictionary<string, DeletionReason>
        {
            [DvFile(old)] = DeletionReason.ExpiredTombstone,
            ["gone.parquet"] = DeletionReason.ExpiredTombstone,
        }, Planned(plan));
    }

    [Fact]
    public void Dv_files_in_a_prefix_directory_resolve_like_the_spec_example()
    {
        var dv = new DeletionVectorDescriptor { StorageType = "u", PathOrInlineDv = "ab^-aqEH.-t@S}K{vb[*k^", Offset = 4, SizeInBytes = 40, Cardinality = 6 };
        var plan = new VacuumTable().Commit(Add("f.parquet", dv)).Commit(Remove("f.parquet", Days(9), dv))
            .Plan(null, Listed("f.parquet", Days(9)), Listed("ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", Days(9)));
        Assert.Equal(["ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", "f.parquet"], plan.Deletions.Select(d => d.Path));
    }

    [Fact]
    public void Log_paths_are_decoded_exactly_once_into_storage_keys()
    {
        var plan = new VacuumTable(partitionColumns: ["x"])
            .Commit(Add("x=A%252FA/f.parquet"), Add("x=b%20c/g.parquet"))
            .Commit(Remove("x=A%252FA/f.parquet", Days(8)))
            .Plan(new VacuumOptions { GracePeriod = Days(1000) },
                Listed("x=A%2FA/f.parquet", Days(9)), Listed("x=A/A/f.parquet", Days(9)), Listed("x=b c/g.parquet", Days(9)));
        Assert.Equal(new Dictionary<string, DeletionReason> { ["x=A%2FA/f.parquet"] = DeletionReason.ExpiredTombstone }, Planned(plan));
    }

    [Fact]
    public void Writer_temp_files_anywhere_go_after_the_grace_period()
    {
        var plan = new VacuumTable().Plan(null,
            Listed("p=1/.part-1.parquet.replicasync-tmp-0123abcd", Hours(2)),
            Listed("_delta_log/.00000000000000000001.json.replicasync-tmp-4567ef", Hours(2)),
            Listed("_delta_log/_sidecars/.s.parquet.replicasync-tmp-89", Hours(2)),
            Listed(".deletion_vector_x.bin.replicasync-tmp-aa", TimeSpan.FromMinutes(5)));
        Assert.Equal(
            ["_delta_log/.00000000000000000001.json.replicasync-tmp-4567ef", "_delta_log/_sidecars/.s.parquet.replicasync-tmp-89", "p=1/.part-1.parquet.replicasync-tmp-0123abcd"],
            plan.Deletions.Select(d => d.Path));
        Assert.All(plan.Deletions, d => Assert.Equal(DeletionReason.Unreferenced, d.Reason));
    }

    [Fact]
    public void Nothing_in_the_delta_log_but_temp_files_is_ever_planned_even_when_a_tombstone_names_it()
    {
        var plan = new VacuumTable()
            .Commit(Add("_delta_log/00000000000000000000.json"))
            .Commit(Remove("_delta_log/00000000000000000000.json", Days(30)))
            .Plan(new VacuumOptions { Retention = TimeSpan.Zero, GracePeriod = TimeSpan.Zero },
                Listed("_delta_log/00000000000000000000.json", Days(30)),
                Listed("_delta_log/00000000000000000001.json", Days(30)),
                Listed("_delta_log/00000000000000000010.checkpoint.parquet", Days(30)),
                Listed("_delta_log/00000000000000000010.checkpoint.0000000001.0000000002.parquet", Days(30)),
                Listed("_delta_log/_last_checkpoint", Days(30)),
                Listed("_delta_log/00000000000000000001.crc", Days(30)),
                Listed("_delta_log/_sidecars/00000000000000000010.checkpoint.0000000001.0000000001.abc.parquet", Days(30)),
                Listed("_delta_log/.tmp/00000000000000000002.json.uuid", Days(30)),
                Listed("_delta_log/unknown.txt", Days(30)));
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void Change_data_files_a_cdc_action_names_stay_and_unreferenced_ones_go()
    {
        var plan = new VacuumTable(new Protocol { MinReaderVersion = 1, MinWriterVersion = 4 })
            .Commit(Add("a.parquet"), new CdcFile { Path = "_change_data/p=x%20y/cdc-1.parquet", Size = 10 })
            .Plan(null, Listed("_change_data/p=x y/cdc-1.parquet", Days(60)), Listed("_change_data/cdc-orphan.parquet", Days(60)),
                Listed("_change_data/.cdc-1.parquet.crc", Days(60)));
        Assert.Equal(new Dictionary<string, DeletionReason> { ["_change_data/cdc-orphan.parquet"] = DeletionReason.Unreferenced }, Planned(plan));
    }

    [Fact]
    public void Change_data_files_follow_the_retention_of_their_version_like_removed_files()
    {
        var table = new VacuumTable(new Protocol { MinReaderVersion = 1, MinWriterVersion = 4 })
            .CommitAt(Days(30), Add("a.parquet"), new CdcFile { Path = "_change_data/p=1/cdc-old.parquet", Size = 10 })
            .CommitAt(Days(2), new CdcFile { Path = "_change_data/p=1/cdc-recent.parquet", Size = 10 });
        ObjectInfo[] listing = [Listed("_change_data/p=1/cdc-old.parquet", Days(30)), Listed("_change_data/p=1/cdc-recent.parquet", Days(30))];

        // Default retention (7 days): version 1 is out of reach, so its change data goes; version 2 keeps its own.
        Assert.Equal(new Dictionary<string, DeletionReason> { ["_change_data/p=1/cdc-old.parquet"] = DeletionReason.ExpiredChangeData },
            Planned(table.Plan(null, listing)));
        Assert.Equal("expired change data", PlannedDeletion.Describe(DeletionReason.ExpiredChangeData));
        // A retention covering both versions keeps both, however old the files themselves are.
        Assert.Empty(table.Plan(new VacuumOptions { Retention = Days(31) }, listing).Deletions);
    }

    [Fact]
    public void Hidden_files_and_iceberg_metadata_are_never_orphans_but_partition_directories_starting_with_underscore_are_searched()
    {
        var plan = new VacuumTable(partitionColumns: ["_p"]).Plan(null,
            Listed(".part-1.parquet.crc", Days(60)), Listed("_SUCCESS", Days(60)), Listed("p=1/_committed_123", Days(60)),
            Listed("_delta_index/x.idx", Days(60)), Listed("metadata/v1.metadata.json", Days(60)),
            Listed("_p=1/orphan.parquet", Days(60)), Listed("metadata", Days(60)));
        Assert.Equal(["_p=1/orphan.parquet", "metadata"], plan.Deletions.Select(d => d.Path));
    }

    [Fact]
    public void Absolute_paths_are_reported_never_deleted_and_a_live_one_keeps_every_orphan()
    {
        var expiredOnly = new VacuumTable()
            .Commit(Add("s3://bucket/t/x.parquet"), Add("rel.parquet"))
            .Commit(Remove("s3://bucket/t/x.parquet", Days(30)), Remove("rel.parquet", Days(30)))
            .Plan(null, Listed("rel.parquet", Days(60)), Listed("orphan.parquet", Days(60)));
        Assert.Equal(["s3://bucket/t/x.parquet"], expiredOnly.AbsolutePathsKept);
        Assert.Equal(["orphan.parquet", "rel.parquet"], expiredOnly.Deletions.Select(d => d.Path));

        var liveAbsolute = new VacuumTable()
            .Commit(Add("file:///data/t/x.parquet"), Add("rel.parquet"))
            .Commit(Remove("rel.parquet", Days(30)))
            .Plan(null, Listed("x.parquet", Days(60)), Listed("rel.parquet", Days(60)), Listed("orphan.parquet", Days(60)),
                Listed(".y.parquet.replicasync-tmp-1", Days(60)));
        Assert.Equal([".y.parquet.replicasync-tmp-1", "rel.parquet"], liveAbsolute.Deletions.Select(d => d.Path));
        Assert.Contains(liveAbsolute.Warnings, w => w.Contains("file:///data/t/x.parquet", StringComparison.Ordinal));
    }

    [Fact]
    public void An_add_in_a_present_commit_whose_removal_the_snapshot_no_longer_knows_stays()
    {
        // What a checkpoint-based snapshot looks like: the checkpoint dropped old.parquet's tombstone, but the commit
        // that added it is still present.
        var facts = new VacuumTable().Commit(Add("live.parquet")).Facts();
        var dv = Guid.NewGuid();
        var withHistory = facts with { CommitAdds = [.. facts.CommitAdds, Add("old.parquet", Dv(dv))] };
        var plan = VacuumPlanner.Plan(withHistory, [Listed("old.parquet", Days(60)), Listed(DvFile(dv), Days(60))], Now, new VacuumOptions());
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void An_unknown_table_feature_refuses_the_whole_plan_naming_it()
    {
        var table = new VacuumTable(new Protocol { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = ["deletionVectors"], WriterFeatures = ["deletionVectors", "fancyNewFiles"] })
            .Commit(Add("a.parquet")).Commit(Remove("a.parquet", Days(30)));
        var e = Assert.Throws<VacuumException>(() => table.Plan(null, Listed("a.parquet", Days(60))));
        Assert.Contains("fancyNewFiles", e.Message);
    }

    [Fact]
    public void The_plan_is_sorted_by_path_and_counts_files_and_bytes_per_reason()
    {
        var plan = new VacuumTable()
            .Commit(Add("b.parquet")).Commit(Remove("b.parquet", Days(8)))
            .Plan(null, Listed("c.parquet", Days(1), 5), Listed("b.parquet", Days(1), 7), Listed("a.parquet", Days(1), 11), Listed("a.parquet", Days(1), 11));
        Assert.Equal(["a.parquet", "b.parquet", "c.parquet"], plan.Deletions.Select(d => d.Path));
        var summary = plan.Summary;
        Assert.Equal((3L, 23L), (summary.Files, summary.Bytes));
        Assert.Equal((1L, 7L), summary.ByReason[DeletionReason.ExpiredTombstone]);
        Assert.Equal((2L, 16L), summary.ByReason[DeletionReason.Unreferenced]);
    }

    [Fact]
    public void A_negative_grace_period_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VacuumTable().Plan(new VacuumOptions { GracePeriod = TimeSpan.FromHours(-1) }));
}
