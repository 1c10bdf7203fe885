using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.Sync;

namespace ReplicaSync.Tests.Sync;

public class VersionPlannerTests
{
    private static readonly Metadata Meta = new()
    {
        Id = "t", SchemaString = "{}", PartitionColumns = ["p"],
    };

    private static FileLine Line(FileActionKind kind, string id, long size, string? p = "a", DeltaAction? action = null) =>
        new(kind, id, $"http://provider/{id}?sig=s", new Dictionary<string, string?> { ["p"] = p }, size, null, true, 1, 1000, null, null, action);

    private static ReplicaState StateWith(params (string Id, long Size)[] files)
    {
        var state = new ReplicaState(null);
        var v0 = new ProviderVersion(0) { Protocol = new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 }, Metadata = new MetadataLine(Meta, 0, null, null) };
        v0.Adds.AddRange(files.Select(f => Line(FileActionKind.Add, f.Id, f.Size)));
        var plan = VersionPlanner.FromFeed(state, v0, 500, out var drift);
        Assert.Null(drift);
        state.Apply(new Commit(0, 500, ReplicaCommit.Build(plan, "s.d.t", null, DateTimeOffset.UnixEpoch)));
        return state;
    }

    [Fact]
    public void The_first_version_carries_protocol_and_metadata_and_maps_files_to_replica_paths()
    {
        var state = StateWith(("f1", 10), ("f2", 20));
        Assert.Equal(0, state.Version);
        Assert.Equal(["p=a/part-f1.parquet", "p=a/part-f2.parquet"], state.Snapshot.Files.Keys.Select(k => k.Path).Order());
        Assert.Equal(30, state.Snapshot.SizeInBytes);
        Assert.All(state.Snapshot.Files.Values, f => Assert.Equal(500, f.ModificationTime));
    }

    [Fact]
    public void A_remove_of_a_file_the_replica_never_saw_is_drift()
    {
        var state = StateWith(("f1", 10));
        var v1 = new ProviderVersion(1);
        v1.Removes.Add(Line(FileActionKind.Remove, "compacted", 10));
        VersionPlanner.FromFeed(state, v1, 600, out var drift);
        Assert.Contains("compacted", drift);
    }

    [Fact]
    public void Unchanged_metadata_is_not_committed_again_but_a_changed_one_is()
    {
        var state = StateWith(("f1", 10));
        var same = new ProviderVersion(1) { Metadata = new MetadataLine(ActionCodec.Clone(Meta), 1, null, null) };
        Assert.Null(VersionPlanner.FromFeed(state, same, 600, out _).Metadata);
        var changed = ActionCodec.Clone(Meta);
        changed.SchemaString = "{\"changed\":true}";
        var plan = VersionPlanner.FromFeed(state, new ProviderVersion(1) { Metadata = new MetadataLine(changed, 1, null, null) }, 600, out _);
        Assert.Same(changed, plan.Metadata);
    }

    [Fact]
    public void Outcome_counts_a_deletion_vector_replacement_as_one_file()
    {
        var state = StateWith(("f1", 10), ("f2", 20));
        var v1 = new ProviderVersion(1);
        v1.Removes.Add(Line(FileActionKind.Remove, "f1", 10));
        var withDv = new AddFile
        {
            PartitionValues = new() { ["p"] = "a" }, Size = 10, DataChange = true,
            DeletionVector = new DeletionVectorDescriptor { StorageType = "p", PathOrInlineDv = "http://provider/dv?sig=s", Offset = 1, SizeInBytes = 30, Cardinality = 2 },
        };
        v1.Adds.Add(Line(FileActionKind.Add, "f1", 10, action: withDv));
        var plan = VersionPlanner.FromFeed(state, v1, 600, out var drift);
        Assert.Null(drift);
        Assert.Equal((2L, 30L), VersionPlanner.Outcome(state, plan));
        var dv = Assert.Single(plan.Adds).DeletionVector;
        Assert.Equal("http://provider/dv?sig=s", dv!.Url);
        Assert.Equal("u", plan.Adds[0].Action.DeletionVector!.StorageType);
        Assert.Equal(dv.Key, DeletionVectorPath.RelativeFile(plan.Adds[0].Action.DeletionVector!.PathOrInlineDv));
    }

    [Fact]
    public void Reconciling_against_a_snapshot_marks_only_the_hidden_rewrite_as_dataChange_false()
    {
        // Replica: f1, f2. Provider at v1: OPTIMIZE compacted f1+f2 into c (hidden) and then an append of f3 (visible).
        var state = StateWith(("f1", 10), ("f2", 20));
        var feed = new ProviderVersion(1);
        feed.Adds.Add(Line(FileActionKind.Add, "f3", 5));
        var plan = VersionPlanner.FromSnapshot(state, feed, [Line(FileActionKind.Add, "c", 30), Line(FileActionKind.Add, "f3", 5)], 600);

        Assert.True(plan.Reconciled);
        Assert.Equal(["part-c.parquet:False", "part-f3.parquet:True"],
            plan.Adds.Select(a => $"{ReplicaPaths.NameOf(a.Key)}:{a.Action.DataChange}").Order());
        Assert.Equal(["p=a/part-f1.parquet:False", "p=a/part-f2.parquet:False"],
            plan.Removes.Select(r => $"{r.Path}:{r.DataChange}").Order());
        Assert.Equal((2L, 35L), VersionPlanner.Outcome(state, plan));
    }

    [Fact]
    public void A_partition_value_for_a_column_that_is_not_a_partition_column_is_refused()
    {
        var state = StateWith(("f1", 10));
        var v1 = new ProviderVersion(1);
        v1.Adds.Add(new FileLine(FileActionKind.Add, "x", "http://p/x", new Dictionary<string, string?> { ["evil"] = "1" }, 1, null, true, 1, 1, null, null, null));
        var e = Assert.Throws<SyncException>(() => VersionPlanner.FromFeed(state, v1, 600, out _));
        Assert.Contains("'evil'", e.Message);
    }

    [Fact]
    public void Commits_start_with_commitInfo_and_carry_the_replica_txn()
    {
        var state = StateWith(("f1", 10));
        var plan = VersionPlanner.FromFeed(state, new ProviderVersion(1), 600, out _);
        var actions = ReplicaCommit.Build(plan, "s.d.t", 777, DateTimeOffset.FromUnixTimeMilliseconds(999));
        var info = Assert.IsType<CommitInfo>(actions[0]);
        Assert.Equal(777, info.InCommitTimestamp);
        Assert.Equal(600, info.Timestamp);
        Assert.Equal(1, info.Extra!["providerVersion"].GetInt64());
        var txn = Assert.Single(actions.OfType<SetTransaction>());
        Assert.Equal(("replicasync:s.d.t", 1L, 999L), (txn.AppId, txn.Version, txn.LastUpdated!.Value));
    }

    [Fact]
    public void A_snapshot_step_adds_only_files_the_replica_lacks_removes_the_rest_and_records_where_it_steps_from()
    {
        var state = StateWith(("kept", 10), ("deleted", 20), ("compacted", 30));
        var protocol = new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 };
        var plan = VersionPlanner.SnapshotStep(state, (7, protocol, ActionCodec.Clone(Meta)),
            [Line(FileActionKind.Add, "kept", 10), Line(FileActionKind.Add, "optimized", 25), Line(FileActionKind.Add, "appended", 5)], 900);

        Assert.Equal((7L, 0L), (plan.Version, plan.StepFrom!.Value));
        Assert.Equal(["appended", "optimized"], plan.Adds.Select(a => a.Source.Id).Order());
        Assert.Equal(["p=a/part-compacted.parquet", "p=a/part-deleted.parquet"], plan.Removes.Select(r => r.Path).Order());
        Assert.All(plan.Adds, a => Assert.True(a.Action.DataChange));
        Assert.All(plan.Removes, r => Assert.True(r.DataChange));
        Assert.Null(plan.Protocol);
        Assert.Null(plan.Metadata);

        var actions = ReplicaCommit.Build(plan, "s.d.t", null, DateTimeOffset.UnixEpoch);
        state.Apply(new Commit(7, 900, actions), afterGap: true);
        Assert.Equal(0, ReplicaCommit.StepFrom(new Commit(7, 900, actions)));
        Assert.Equal(7, state.Version);
        Assert.Equal(["p=a/part-appended.parquet", "p=a/part-kept.parquet", "p=a/part-optimized.parquet"], state.Snapshot.Files.Keys.Select(k => k.Path).Order());
        Assert.Throws<DeltaFormatException>(() => state.Apply(new Commit(9, 950, actions)));
    }
}
