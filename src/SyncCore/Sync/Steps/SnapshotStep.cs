using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.Storage;
using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Sync.Steps;

/// <summary>
/// Follows a table shared without history by one snapshot step from replica version V1 to the provider's latest V2:
/// copies the files of V2 the replica lacks, writes commit V2 (removes and adds against V1, the txn, a commitInfo
/// naming the step) and then a checkpoint at V2. The versions between were never shared, so none is written, and
/// replay from the checkpoint at V2 never needs them.
/// </summary>
internal sealed class SnapshotStep(SharingClient client, IObjectStore target, CopyEngine copy, SyncOptions options)
{
    /// <summary>Steps <paramref name="state"/> to the provider's latest snapshot, recording the step on <paramref name="run"/>.</summary>
    public async Task RunAsync(TableAddress table, ReplicaState state, DeltaLog log, Run run, CancellationToken ct)
    {
        if (options.StopRequested.IsCancellationRequested)
        {
            run.StoppedBecause = $"asked to stop before the snapshot step from version {state.Version}";
            return;
        }
        // The refresh token lets expired URLs be re-issued for this same snapshot; a plain latest query is the
        // fallback (a version query would need history). Files are matched by id either way.
        var snapshot = await ProviderSnapshot.ReadAsync(client, table, new QueryRequest { IncludeRefreshToken = true, MaxFiles = options.PageSize }, ct);
        if (snapshot.Version < state.Version)
            throw new SyncException($"the provider's latest snapshot of {table.QualifiedName} is version {snapshot.Version}, behind the replica's {state.Version}: was the provider table re-created?");
        if (snapshot.Version == state.Version)
            return;
        var (protocol, metadata) = snapshot.RequireHead(table);
        var plan = VersionPlanner.SnapshotStep(state, (snapshot.Version, protocol, metadata), snapshot.Files, snapshot.CommitTime);
        var bytes = plan.Adds.Sum(a => a.Action.Size);
        if (run.Budget.Refuses(plan.Version, bytes) is { } stop)
        {
            run.StoppedBecause = stop;
            return;
        }
        options.Observer.VersionPlanned(plan.Version, plan.Adds.Count, bytes);
        var urls = new UrlQuery(client, table, new QueryRequest { MaxFiles = options.PageSize }, options);
        if (snapshot.RefreshToken is { } token)
            urls.UseRefreshToken(token);
        var copied = await (await copy.EnqueueAsync(plan, urls, ct)).WhenDurableAsync(ct);
        if (options.BeforeCommit is { } hook)
            await hook(plan, ct);

        var resulting = (plan.Metadata ?? state.Snapshot.Metadata)!;
        long? ict = ReplicaCommit.UsesInCommitTimestamps(resulting) ? Math.Max(plan.Timestamp, state.Snapshot.Timestamp + 1) : null;
        var actions = ReplicaCommit.Build(plan, table.QualifiedName, ict, DateTimeOffset.UtcNow);
        ReplicaCommit.AddCopyMetrics(actions, copied);
        var from = state.Version;
        await new CommitWriter(target).WriteAsync(plan.Version, actions, ct);
        var commit = new Commit(plan.Version, ict ?? plan.Timestamp, actions);
        await StepCheckpoint.WriteAsync(target, log, from, StateAfter(state, commit), commit, ct);
        run.Add(new VersionReport(plan.Version, plan.Adds.Count, plan.Removes.Count, copied.FilesCopied, copied.FilesReused,
            copied.BytesCopied, false, plan.Metadata is not null) { StepFrom = from }, options.Observer);
    }

    /// <summary>
    /// Whether the replica follows its provider by snapshot steps: its latest commit (at <paramref name="version"/>)
    /// is one. Such a replica stays in that mode without a failing history request on every run. A replica that
    /// starts at a checkpoint has no commit there yet, and learns the mode from its first change-feed query.
    /// </summary>
    public static async Task<bool> FollowsByStepsAsync(DeltaLog log, long version, CancellationToken ct)
    {
        try
        {
            // Only the commitInfo matters here, so no file time is looked up (a HEAD request on cloud targets).
            return ReplicaCommit.StepFrom(await log.ReadCommitAsync(version, DateTimeOffset.UnixEpoch, ct)) is not null;
        }
        catch (ObjectNotFoundException)
        {
            return false;
        }
    }

    private static Snapshot StateAfter(ReplicaState state, Commit commit)
    {
        state.Apply(commit, afterGap: true);
        return state.Snapshot;
    }
}
