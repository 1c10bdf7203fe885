using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.Storage;

namespace ReplicaSync.Sync;

/// <summary>
/// One catch-up run for one table: replay the replica's log (version r), ask the provider's version p, then for
/// every v in r+1..p copy the files v adds and write exactly one replica commit v, in order. Commits are
/// put-if-absent, so a concurrent writer makes the run stop instead of overwriting.
/// </summary>
public sealed class SyncEngine(SharingClient client, IObjectStore target, HttpClient files, SyncOptions? options = null)
{
    private readonly SyncOptions _options = options ?? new SyncOptions();

    /// <summary>
    /// Replicates up to <paramref name="toVersion"/> (the provider's latest when null), reporting each committed
    /// version. A new replica first starts where <see cref="SyncOptions.From"/> says: full history from version 0,
    /// or a snapshot bootstrap (a latest-snapshot bootstrap needs no shared history).
    /// </summary>
    public async Task<SyncReport> RunAsync(TableAddress table, long? toVersion, IProgress<VersionReport>? progress, CancellationToken ct)
    {
        var log = new DeltaLog(target);
        var state = new ReplicaState(await log.LoadSnapshotAsync(null, ct));
        CheckReplicaBelongsTo(state, table);
        var providerVersion = await client.GetTableVersionAsync(table, null, ct);
        var goal = toVersion ?? providerVersion;
        if (goal > providerVersion)
            throw new SyncException($"version {goal} was asked for but the provider's table {table.QualifiedName} is at version {providerVersion}");
        if (state.Version > providerVersion)
            throw new SyncException($"the replica is at version {state.Version}, ahead of the provider's {providerVersion}: was the provider table re-created?");

        var start = state.Version;
        var reports = new List<VersionReport>();
        var copier = new FileCopier(target, files, _options);
        string? began = null;
        if (state.Version < 0)
        {
            var from = await ResolveStartAsync(table, goal, ct);
            if (from.Kind == StartKind.FullHistory)
            {
                began = "full history from version 0";
            }
            else
            {
                var (bootstrapped, report) = await new SnapshotBootstrap(client, target, copier, _options.Observer)
                    .RunAsync(table, from.Kind == StartKind.Latest ? toVersion : from.Version, ct);
                state = bootstrapped;
                began = $"snapshot at version {state.Version}";
                reports.Add(report);
                progress?.Report(report);
                _options.Observer.VersionCommitted(report);
            }
        }
        var committer = new CommitWriter(target);
        var feed = new ChangeFeedReader(client, table);
        for (var from = state.Version + 1; from <= goal; from += _options.VersionsPerRequest)
        {
            var to = Math.Min(goal, from + _options.VersionsPerRequest - 1);
            foreach (var version in await feed.ReadAsync(from, to, ct))
            {
                var plan = await PlanAsync(state, version, table, isWindowEnd: version.Version == to, ct);
                _options.Observer.VersionPlanned(plan.Version, plan.Adds.Count, plan.Adds.Sum(a => a.Action.Size));
                var copied = await copier.CopyAsync(plan, ct);
                if (_options.BeforeCommit is { } hook)
                    await hook(plan, ct);
                var commit = await WriteCommitAsync(committer, state, plan, table, ct);
                state.Apply(commit);
                if (_options.CheckpointInterval > 0 && plan.Version > 0 && plan.Version % _options.CheckpointInterval == 0)
                    await WriteCheckpointAsync(log, state.Snapshot, ct);
                var report = new VersionReport(plan.Version, plan.Adds.Count, plan.Removes.Count, copied.FilesCopied,
                    copied.FilesReused, copied.BytesCopied, plan.Reconciled, plan.Metadata is not null);
                reports.Add(report);
                progress?.Report(report);
                _options.Observer.VersionCommitted(report);
            }
        }
        return new SyncReport(start, state.Version, goal, providerVersion, reports) { Began = began };
    }

    /// <summary>
    /// Resolves <see cref="SyncOptions.From"/> for a new replica. Auto takes full history when the provider shares it
    /// from version 0 (its version at the epoch is 0) and a snapshot of the latest version otherwise.
    /// </summary>
    private async Task<StartPoint> ResolveStartAsync(TableAddress table, long goal, CancellationToken ct)
    {
        var from = _options.From;
        if (from.Kind == StartKind.Version && from.Version > goal)
            throw new SyncException($"--from {from.Version} is after the version to reach ({goal})");
        if (from.Kind != StartKind.Auto)
            return from;
        try
        {
            return await client.GetTableVersionAsync(table, DateTimeOffset.UnixEpoch, ct) == 0 ? StartPoint.FullHistory : StartPoint.Latest;
        }
        catch (SharingHttpException e) when (e.StatusCode == 400)
        {
            return StartPoint.Latest;
        }
    }

    private async Task<VersionPlan> PlanAsync(ReplicaState state, ProviderVersion version, TableAddress table, bool isWindowEnd, CancellationToken ct)
    {
        var timestamp = version.Timestamp ?? state.Snapshot.Timestamp;
        var plan = VersionPlanner.FromFeed(state, version, timestamp, out var drift);
        if (drift is null)
            drift = await CheckCountsAsync(state, version, plan, table, verify: version.IsEmpty || isWindowEnd, ct);
        if (drift is null)
            return plan;
        var snapshot = await ReadSnapshotAsync(table, version.Version, ct);
        return VersionPlanner.FromSnapshot(state, version, snapshot, timestamp);
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

    private async Task<IReadOnlyList<FileLine>> ReadSnapshotAsync(TableAddress table, long version, CancellationToken ct)
    {
        var files = new List<FileLine>();
        await using var result = await client.QueryAsync(table, new QueryRequest { Version = version }, ResponseFormat.Delta, ct);
        await foreach (var line in result.Lines.WithCancellation(ct))
        {
            if (line is FileLine { Kind: FileActionKind.Add } file)
                files.Add(file);
        }
        return files;
    }

    private static async Task<Commit> WriteCommitAsync(CommitWriter committer, ReplicaState state, VersionPlan plan, TableAddress table, CancellationToken ct)
    {
        var metadata = plan.Metadata ?? state.Snapshot.Metadata;
        long? ict = ReplicaCommit.UsesInCommitTimestamps(metadata)
            ? Math.Max(plan.Timestamp, state.Snapshot.Timestamp + 1)
            : null;
        var actions = ReplicaCommit.Build(plan, table.QualifiedName, ict, DateTimeOffset.UtcNow);
        await committer.WriteAsync(plan.Version, actions, ct);
        return new Commit(plan.Version, ict ?? plan.Timestamp, actions);
    }

    // The snapshot keeps slim live files; the full adds (stats, tags…) are streamed back from the replica's log.
    private async Task WriteCheckpointAsync(DeltaLog log, Snapshot snapshot, CancellationToken ct)
    {
        var segment = await LogSegment.BuildAsync(target, snapshot.Version, ct)
            ?? throw new InvalidOperationException($"the replica's log vanished before checkpoint {snapshot.Version}");
        await CheckpointWriter.WriteAsync(target, snapshot, log.ScanLiveAddsAsync(segment, ct), ct);
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
}
