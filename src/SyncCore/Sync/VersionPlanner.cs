using ReplicaSync.Delta;
using ReplicaSync.Sharing;

namespace ReplicaSync.Sync;

/// <summary>
/// Pure planning of one replica commit from the provider's feed for that version, and, when the feed cannot be
/// trusted (hidden dataChange=false rewrites), from a snapshot of the provider at that version.
/// </summary>
public static class VersionPlanner
{
    /// <summary>Plans version <paramref name="feed"/> on top of <paramref name="state"/>; sets <paramref name="drift"/> when the feed disagrees with the replica.</summary>
    public static VersionPlan FromFeed(ReplicaState state, ProviderVersion feed, long timestamp, out string? drift)
    {
        drift = null;
        var plan = StartPlan(state, feed, timestamp);
        var metadata = plan.Metadata ?? state.Snapshot.Metadata
            ?? throw new SyncException($"version {feed.Version} has no table metadata");
        var removedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in feed.Removes)
        {
            var name = ReplicaPaths.DataFileName(line.Id);
            var live = state.FindLive(name);
            if (live is null)
            {
                drift ??= $"the feed removes file {line.Id}, which the replica does not hold";
                continue;
            }
            if (removedNames.Add(name))
                plan.Removes.Add(FileMapper.MapRemove(live, line, timestamp, dataChange: true));
        }
        foreach (var line in feed.Adds)
            plan.Adds.Add(FileMapper.MapAdd(line, metadata, timestamp, dataChange: true));
        AddChangeFiles(plan, feed, metadata);
        return plan;
    }

    /// <summary>
    /// Plans version <paramref name="feed"/> so that the replica's files equal <paramref name="providerFiles"/>
    /// (the provider's snapshot at that version). Files the feed showed keep dataChange=true; the rest of the
    /// difference is committed with dataChange=false, as the provider's rewrite was.
    /// </summary>
    public static VersionPlan FromSnapshot(ReplicaState state, ProviderVersion feed, IReadOnlyList<FileLine> providerFiles, long timestamp)
    {
        var plan = StartPlan(state, feed, timestamp);
        plan.Reconciled = true;
        var metadata = plan.Metadata ?? state.Snapshot.Metadata
            ?? throw new SyncException($"version {feed.Version} has no table metadata");
        var visibleAdds = feed.Adds.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var visibleRemoves = feed.Removes.Select(f => ReplicaPaths.DataFileName(f.Id)).ToHashSet(StringComparer.Ordinal);
        var wanted = new HashSet<FileKey>();
        foreach (var line in providerFiles)
        {
            var planned = FileMapper.MapAdd(line, metadata, timestamp, visibleAdds.Contains(line.Id));
            if (!wanted.Add(planned.Action.Key))
                continue;
            if (!state.Snapshot.Files.ContainsKey(planned.Action.Key))
                plan.Adds.Add(planned);
        }
        foreach (var (key, live) in state.Snapshot.Files)
        {
            if (!wanted.Contains(key))
            {
                var name = ReplicaPaths.NameOf(key.Path);
                plan.Removes.Add(FileMapper.MapRemove(live, null, timestamp, visibleRemoves.Contains(name)));
            }
        }
        AddChangeFiles(plan, feed, metadata);
        return plan;
    }

    /// <summary>
    /// Plans a snapshot step from the replica's version to <paramref name="snapshot"/> (the provider's latest, shared
    /// without history): the files the replica lacks are added and the ones the provider no longer has are removed,
    /// diffed by file key (derived from the provider's file id), so unchanged files are neither copied nor recommitted.
    /// Nothing tells which of the skipped versions changed data, so every action claims dataChange=true.
    /// </summary>
    public static VersionPlan SnapshotStep(ReplicaState state, (long Version, Protocol Protocol, Metadata Metadata) snapshot,
        IReadOnlyList<FileLine> providerFiles, long timestamp)
    {
        var current = state.Snapshot;
        var plan = new VersionPlan(snapshot.Version, timestamp)
        {
            StepFrom = current.Version,
            Protocol = current.Protocol is { } p && SameAction(p, snapshot.Protocol) ? null : snapshot.Protocol,
            Metadata = current.Metadata is { } m && SameAction(m, snapshot.Metadata) ? null : snapshot.Metadata,
        };
        var wanted = new HashSet<FileKey>();
        foreach (var line in providerFiles)
        {
            var planned = FileMapper.MapAdd(line, snapshot.Metadata, timestamp, dataChange: true);
            if (wanted.Add(planned.Action.Key) && !current.Files.ContainsKey(planned.Action.Key))
                plan.Adds.Add(planned);
        }
        foreach (var (key, live) in current.Files)
        {
            if (!wanted.Contains(key))
                plan.Removes.Add(FileMapper.MapRemove(live, null, timestamp, dataChange: true));
        }
        return plan;
    }

    /// <summary>Live file count and bytes the replica will have once <paramref name="plan"/> is committed.</summary>
    public static (long Files, long Bytes) Outcome(ReplicaState state, VersionPlan plan)
    {
        long files = state.Snapshot.Files.Count, bytes = state.Snapshot.SizeInBytes;
        var removed = new HashSet<FileKey>();
        foreach (var remove in plan.Removes)
        {
            if (removed.Add(remove.Key) && state.Snapshot.Files.TryGetValue(remove.Key, out var live))
            {
                files--;
                bytes -= live.Size;
            }
        }
        foreach (var add in plan.Adds)
        {
            var key = add.Action.Key;
            if (state.Snapshot.Files.TryGetValue(key, out var existing) && !removed.Contains(key))
            {
                bytes -= existing.Size;
                files--;
            }
            files++;
            bytes += add.Action.Size;
        }
        return (files, bytes);
    }

    private static VersionPlan StartPlan(ReplicaState state, ProviderVersion feed, long timestamp)
    {
        var plan = new VersionPlan(feed.Version, timestamp);
        var snapshot = state.Snapshot;
        if (feed.Protocol is { } protocol && (snapshot.Protocol is null || !SameAction(protocol, snapshot.Protocol)))
            plan.Protocol = protocol;
        if (feed.Metadata?.Metadata is { } metadata && (snapshot.Metadata is null || !SameAction(metadata, snapshot.Metadata)))
            plan.Metadata = metadata;
        if (snapshot.Version < 0 && (plan.Protocol is null || plan.Metadata is null))
            throw new SyncException($"the provider sent no protocol and metaData for the replica's first version {feed.Version}");
        return plan;
    }

    // Change data rides along whichever way the files were planned: it describes the provider's commit, not the diff.
    private static void AddChangeFiles(VersionPlan plan, ProviderVersion feed, Metadata metadata)
    {
        plan.ChangeDataRefused = feed.ChangeDataRefused;
        foreach (var line in feed.ChangeFiles)
            plan.ChangeFiles.Add(FileMapper.MapChange(line, metadata, feed.ChangeUrls!));
    }

    private static bool SameAction(DeltaAction a, DeltaAction b) => ActionCodec.ToJson(a) == ActionCodec.ToJson(b);
}
