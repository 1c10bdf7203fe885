using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.Storage;
using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Sync;

/// <summary>
/// Starts a replica at provider version V from a snapshot instead of history: copies the snapshot's files, then
/// publishes a checkpoint at V (put-if-absent, with the replica txn) and <c>_last_checkpoint</c>, with no commits
/// before it. Readers accept a log that starts at a checkpoint; the replica then continues with V+1, V+2…
/// </summary>
internal sealed class SnapshotBootstrap(SharingClient client, IObjectStore target, CopyEngine copy, SyncOptions options, ByteBudget budget)
{
    /// <summary>Why the bootstrap did not start (the byte budget), when it returned null.</summary>
    public string? StoppedBecause { get; private set; }

    /// <summary>Bootstraps at <paramref name="version"/> (the provider's latest when null); null when the byte budget refuses it.</summary>
    public async Task<(ReplicaState State, VersionReport Report)?> RunAsync(TableAddress table, long? version, CancellationToken ct)
    {
        // A latest-snapshot query asks for a refresh token, so re-issued URLs are for the same files.
        var request = version is null ? new QueryRequest { IncludeRefreshToken = true } : new QueryRequest { Version = version };
        var snapshot = await ProviderSnapshot.ReadAsync(client, table, request, ct);
        var at = snapshot.Version;
        var (protocol, metadata) = snapshot.RequireHead(table);
        var files = snapshot.Files;
        var time = snapshot.CommitTime;
        var plan = new VersionPlan(at, time) { Protocol = protocol, Metadata = metadata };
        plan.Adds.AddRange(files.Select(f => FileMapper.MapAdd(f, metadata, time, dataChange: false)));
        var bytes = plan.Adds.Sum(a => a.Action.Size);
        options.Observer.StartPlanned(new StartCost($"snapshot at version {at}", 1, plan.Adds.Count, bytes));
        if (budget.Refuses(at, bytes) is { } stop)
        {
            StoppedBecause = stop;
            return null;
        }
        options.Observer.VersionPlanned(at, plan.Adds.Count, bytes);
        var urls = new UrlQuery(client, table, version is null ? new QueryRequest { Version = at } : request, options);
        if (snapshot.RefreshToken is { } refreshToken)
            urls.UseRefreshToken(refreshToken);
        var copied = await (await copy.EnqueueAsync(plan, urls, ct)).WhenDurableAsync(ct);

        // A checkpoint holds no commitInfo; the txn marks the table as this provider table's replica at V.
        List<DeltaAction> actions = [protocol, metadata, new SetTransaction { AppId = ReplicaCommit.AppId(table.QualifiedName), Version = at, LastUpdated = time }];
        actions.AddRange(plan.Adds.Select(a => a.Action));
        var state = new ReplicaState(null);
        state.Apply(new Commit(at, time, actions));
        var adds = plan.Adds.Select(a => a.Action).ToAsyncEnumerable();
        if (!await CheckpointWriter.WriteFirstAsync(target, state.Snapshot, adds, ct))
            throw new CommitConflictException(at);
        return (state, new VersionReport(at, plan.Adds.Count, 0, copied.FilesCopied, copied.FilesReused, copied.BytesCopied, false, true));
    }
}
