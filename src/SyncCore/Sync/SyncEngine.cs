using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.Storage;
using ReplicaSync.Sync.Copy;
using ReplicaSync.Sync.Checkpointing;
using ReplicaSync.Sync.Steps;

namespace ReplicaSync.Sync;

/// <summary>
/// One catch-up run for one table: replay the replica's log (version r), ask the provider's version p, then for
/// every v in r+1..p copy the files v adds and write exactly one replica commit v, in order. Commits are
/// put-if-absent, so a concurrent writer makes the run stop instead of overwriting. A table shared without history
/// is followed by snapshot steps instead (<see cref="SnapshotStep"/>).
/// </summary>
public sealed class SyncEngine(SharingClient client, IObjectStore target, HttpClient files, SyncOptions? options = null)
{
    private readonly SyncOptions _options = options ?? new SyncOptions();

    /// <summary>
    /// Replicates up to <paramref name="toVersion"/> (the provider's latest when null), reporting each committed
    /// version. A new replica first starts where <see cref="SyncOptions.From"/> says: full history from version 0,
    /// or a snapshot bootstrap (a latest-snapshot bootstrap needs no shared history). Planning, copying and
    /// committing run as a pipeline: files of later versions are copied while earlier ones commit, in order.
    /// </summary>
    public async Task<SyncReport> RunAsync(TableAddress table, long? toVersion, IProgress<VersionReport>? progress, CancellationToken ct)
    {
        var log = new DeltaLog(target);
        var (state, providerVersion, start) = await OpenAsync(table, log, ct);
        var goal = toVersion ?? providerVersion;
        if (goal > providerVersion)
            throw new SyncException($"version {goal} was asked for but the provider's table {table.QualifiedName} is at version {providerVersion}");
        if (state.Version > providerVersion)
            throw new SyncException($"the replica is at version {state.Version}, ahead of the provider's {providerVersion}: was the provider table re-created?");

        var run = new Run(state.Version, goal, providerVersion, progress, _options.ByteBudget);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var copy = new CopyEngine(target, files, _options);
        await Stages.RunAsync(cancel,
            () => copy.RunAsync(cancel.Token),
            async () =>
            {
                try
                {
                    await ReplicateAsync(table, state, start, log, copy, run, toVersion, cancel.Token);
                }
                finally
                {
                    copy.Complete();
                }
            });
        return run.Report();
    }

    /// <summary>
    /// Loads the replica and asks the provider's version together: they are independent round trips (a store LIST
    /// and reads, a provider request) paid on every run. A new replica starting at Auto probes the provider's history
    /// as soon as its empty log is seen, alongside the version call; an existing replica never makes that request.
    /// </summary>
    private async Task<Opening> OpenAsync(TableAddress table, DeltaLog log, CancellationToken ct)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ReplicaState? state = null;
        var start = _options.From;
        long providerVersion = 0;
        await Stages.RunAsync(cancel,
            async () =>
            {
                state = new ReplicaState(await StepCheckpoint.LoadCompletingAsync(target, log, cancel.Token));
                CheckReplicaBelongsTo(state, table);
                if (state.Version < 0 && start.Kind == StartKind.Auto)
                    start = await ProbeHistoryAsync(table, cancel.Token);
            },
            async () => providerVersion = await client.GetTableVersionAsync(table, null, cancel.Token));
        return new Opening(state!, providerVersion, start);
    }

    private async Task ReplicateAsync(TableAddress table, ReplicaState state, StartPoint start, DeltaLog log, CopyEngine copy, Run run, long? toVersion,
        CancellationToken ct)
    {
        if (state.Version < 0)
        {
            if (start.Kind == StartKind.Version && start.Version > run.Goal)
                throw new SyncException($"--from {start.Version} is after the version to reach ({run.Goal})");
            if (start.Kind == StartKind.FullHistory)
            {
                run.Began = "full history from version 0";
                if (!await StartCost.AnnounceFullHistoryAsync(client, table, run, _options, ct))
                    return;
            }
            else
            {
                var bootstrap = new SnapshotBootstrap(client, target, copy, _options, run.Budget);
                var result = await bootstrap.RunAsync(table, start.Kind == StartKind.Latest ? toVersion : start.Version, ct);
                if (result is null)
                {
                    run.StoppedBecause = bootstrap.StoppedBecause;
                    return;
                }
                state = result.Value.State;
                run.Began = $"snapshot at version {state.Version}";
                run.Add(result.Value.Report, _options.Observer);
            }
        }
        if (state.Version < run.Goal && await SnapshotStep.FollowsByStepsAsync(log, state.Version, ct))
        {
            await StepAsync(table, state, log, copy, run, toVersion, ct);
            return;
        }
        try
        {
            await FollowPerVersionAsync(table, state, log, copy, run, ct);
        }
        catch (HistoryNotSharedException)
        {
            await StepAsync(table, state, log, copy, run, toVersion, ct);
        }
    }

    private async Task FollowPerVersionAsync(TableAddress table, ReplicaState state, DeltaLog log, CopyEngine copy, Run run, CancellationToken ct)
    {
        var commits = System.Threading.Channels.Channel.CreateBounded<PendingCommit>(Math.Max(1, _options.VersionsAhead));
        var checkpoints = new CheckpointStage(target, log, _options.Checkpoints, state.Version);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Stages.RunAsync(cancel,
            async () =>
            {
                try
                {
                    await PlanAsync(table, state, copy, run, commits.Writer, cancel.Token);
                }
                finally
                {
                    commits.Writer.TryComplete();
                }
            },
            async () =>
            {
                await CommitAsync(run, commits.Reader, checkpoints, cancel.Token);
                checkpoints.Complete();
            },
            () => checkpoints.RunAsync(cancel.Token));
    }

    /// <summary>A snapshot step to the provider's latest version, the only one a table without history offers.</summary>
    private Task StepAsync(TableAddress table, ReplicaState state, DeltaLog log, CopyEngine copy, Run run, long? toVersion, CancellationToken ct)
    {
        if (toVersion is { } to && to < run.ProviderVersion)
            throw new SyncException($"{table.QualifiedName} is shared without history: only its latest version ({run.ProviderVersion}) can be replicated, not version {to}");
        return new SnapshotStep(client, target, copy, _options).RunAsync(table, state, log, run, ct);
    }

    /// <summary>
    /// Plans every version in order on a state that already includes the versions planned before it (their commits
    /// are deterministic), hands each to the copy engine and the committer, and stops before a version that would
    /// exceed the byte budget or when a stop is requested (versions already handed over still complete). It never
    /// waits for a commit: checkpoints are written behind the commits by the <see cref="CheckpointStage"/>.
    /// </summary>
    private async Task PlanAsync(TableAddress table, ReplicaState state, CopyEngine copy, Run run,
        System.Threading.Channels.ChannelWriter<PendingCommit> commits, CancellationToken ct)
    {
        var feed = new ChangeFeedReader(client, table, _options);
        var windows = new FeedWindows(_options.VersionsPerRequest, _options.FilesPerRequest);
        var from = state.Version + 1;
        var to = windows.End(from, run.Goal);
        // The next window is read while this one is planned and copied, so the provider's time to answer it does not
        // stall the copy at every window's end; its size follows the window just read.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<IReadOnlyList<ProviderVersion>>? next = from <= run.Goal ? ReadWindowAsync(feed, table, from, to, true, reading.Token) : null;
        try
        {
            while (next is not null)
            {
                var window = await next;
                windows.Read(window);
                var (windowFrom, windowTo) = (from, to);
                from = to + 1;
                to = windows.End(from, run.Goal);
                next = from <= run.Goal ? ReadWindowAsync(feed, table, from, to, false, reading.Token) : null;
                if (!await PlanWindowAsync(table, state, copy, run, commits, window, ChangeFeedReader.WindowRequest(windowFrom, windowTo, _options.PageSize), windowTo, ct))
                    return;
            }
        }
        finally
        {
            await reading.CancelAsync();
            if (next is not null)
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Plans and hands over the versions of one window; false when the run stops before one of them.</summary>
    private async Task<bool> PlanWindowAsync(TableAddress table, ReplicaState state, CopyEngine copy, Run run,
        System.Threading.Channels.ChannelWriter<PendingCommit> commits, IReadOnlyList<ProviderVersion> window, QueryRequest request, long to, CancellationToken ct)
    {
        var urls = new UrlQuery(client, table, request, _options);
        foreach (var version in window)
        {
            if (_options.StopRequested.IsCancellationRequested)
            {
                run.StoppedBecause = $"asked to stop before version {version.Version}";
                return false;
            }
            var (plan, planUrls) = await PlanAsync(state, version, table, isWindowEnd: version.Version == to, urls, ct);
            var bytes = plan.Adds.Sum(a => a.Action.Size) + plan.ChangeFiles.Sum(c => c.Action.Size);
            if (run.Budget.Refuses(plan.Version, bytes) is { } stop)
            {
                run.StoppedBecause = stop;
                return false;
            }
            _options.Observer.VersionPlanned(plan.Version, plan.Adds.Count, bytes);
            var metadata = plan.Metadata ?? state.Snapshot.Metadata;
            long? ict = ReplicaCommit.UsesInCommitTimestamps(metadata) ? Math.Max(plan.Timestamp, state.Snapshot.Timestamp + 1) : null;
            var actions = ReplicaCommit.Build(plan, table.QualifiedName, ict, DateTimeOffset.UtcNow);
            var pending = new PendingCommit(plan, actions, await copy.EnqueueAsync(plan, planUrls, ct));
            await commits.WriteAsync(pending, ct);
            state.Apply(new Commit(plan.Version, ict ?? plan.Timestamp, actions));
        }
        return true;
    }

    /// <summary>Writes each version's commit, strictly in order, once every file it references is durable, and tells the checkpoint stage.</summary>
    private async Task CommitAsync(Run run, System.Threading.Channels.ChannelReader<PendingCommit> pending, CheckpointStage checkpoints, CancellationToken ct)
    {
        var committer = new CommitWriter(target);
        await foreach (var next in pending.ReadAllAsync(ct))
        {
            var plan = next.Plan;
            var copied = await next.Copy.WhenDurableAsync(ct);
            if (_options.BeforeCommit is { } hook)
                await hook(plan, ct);
            ReplicaCommit.AddCopyMetrics(next.Actions, copied);
            await committer.WriteAsync(plan.Version, next.Actions, ct);
            checkpoints.Committed(plan.Version);
            run.Add(new VersionReport(plan.Version, plan.Adds.Count, plan.Removes.Count, copied.FilesCopied,
                copied.FilesReused, copied.BytesCopied, plan.Reconciled, plan.Metadata is not null)
            {
                ChangeFiles = plan.ChangeFiles.Count,
                ChangeDataRefused = plan.ChangeDataRefused,
            }, _options.Observer);
        }
    }

    /// <summary>
    /// A window of the change feed. A 400 on the run's first window, confirmed by the history probe, means the
    /// provider shares no history (the error text is not parsed): the run then follows by a snapshot step.
    /// </summary>
    private async Task<IReadOnlyList<ProviderVersion>> ReadWindowAsync(ChangeFeedReader feed, TableAddress table, long from, long to, bool first, CancellationToken ct)
    {
        try
        {
            return await feed.ReadAsync(from, to, ct);
        }
        catch (SharingHttpException e) when (first && e.StatusCode == 400)
        {
            if (await HistoryProbe.EarliestVersionAsync(client, table, ct) is not null)
                throw;
            throw new HistoryNotSharedException(e);
        }
    }

    /// <summary>
    /// Resolves Auto (<see cref="SyncOptions.From"/>) for a new replica: full history when the provider shares it
    /// from version 0 (its version at the epoch is 0), a snapshot of the latest version otherwise.
    /// </summary>
    private async Task<StartPoint> ProbeHistoryAsync(TableAddress table, CancellationToken ct) =>
        await HistoryProbe.EarliestVersionAsync(client, table, ct) == 0 ? StartPoint.FullHistory : StartPoint.Latest;

    private async Task<(VersionPlan Plan, UrlQuery Urls)> PlanAsync(ReplicaState state, ProviderVersion version, TableAddress table, bool isWindowEnd,
        UrlQuery feedUrls, CancellationToken ct)
    {
        var timestamp = version.Timestamp ?? state.Snapshot.Timestamp;
        var plan = VersionPlanner.FromFeed(state, version, timestamp, out var drift);
        if (drift is null)
            drift = await CheckCountsAsync(state, version, plan, table, verify: version.IsEmpty || isWindowEnd, ct);
        if (drift is null)
            return (plan, feedUrls);
        var request = new QueryRequest { Version = version.Version, MaxFiles = _options.PageSize };
        var snapshot = await ProviderSnapshot.ReadAsync(client, table, request, ct);
        return (VersionPlanner.FromSnapshot(state, version, snapshot.Files, timestamp), new UrlQuery(client, table, request, _options));
    }

    /// <summary>
    /// The feed hides dataChange=false rewrites (OPTIMIZE). They show up as a file count or size that differs from
    /// what the provider reports for the version. The counts come free on metaData lines; otherwise they are asked
    /// for where a hidden rewrite is likely (a version the feed shows as empty) and at the end of each window.
    /// </summary>
    private async Task<string?> CheckCountsAsync(ReplicaState state, ProviderVersion version, VersionPlan plan, TableAddress table, bool verify, CancellationToken ct)
    {
        var reported = version.Metadata;
        if (reported?.NumFiles is null && verify)
            reported = (await client.GetMetadataAsync(table, version.Version, ct)).Metadata;
        if (reported is null)
            return null;
        if (reported.NumFiles is null || reported.Size is null)
            return version.IsEmpty ? $"version {version.Version} shows no change and the provider reports no file counts" : null;
        var (files, bytes) = VersionPlanner.Outcome(state, plan);
        return files == reported.NumFiles && bytes == reported.Size
            ? null
            : $"at version {version.Version} the replica would hold {files} files / {bytes} bytes but the provider reports {reported.NumFiles} / {reported.Size}";
    }

    private static void CheckReplicaBelongsTo(ReplicaState state, TableAddress table)
    {
        if (state.Version < 0)
            return;
        var appId = ReplicaCommit.AppId(table.QualifiedName);
        if (!state.Snapshot.Transactions.TryGetValue(appId, out var txn))
            throw new SyncException($"the target holds a Delta table that is not a replica of {table.QualifiedName} (no '{appId}' transaction)");
        if (txn.Version != state.Version)
            throw new SyncException($"the target's last replicated version is {txn.Version} but its log is at {state.Version}: another writer changed it");
    }

    /// <summary>Where a run starts: the replica as loaded, the provider's latest version and the resolved start point.</summary>
    private readonly record struct Opening(ReplicaState State, long ProviderVersion, StartPoint Start);
}
