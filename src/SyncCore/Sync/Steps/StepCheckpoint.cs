using System.Runtime.CompilerServices;
using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.Sync.Steps;

/// <summary>
/// The checkpoint at a snapshot step's version V2, written only once commit V2 exists. Its live adds are those of
/// V1 (streamed from the replica's log) that the step neither removed nor replaced, then the step's own adds. A
/// run killed between the commit and this checkpoint leaves checkpoint V1 + commit V2 with no commits between,
/// which the next run completes before anything else.
/// </summary>
internal static class StepCheckpoint
{
    /// <summary>Writes the checkpoint of <paramref name="stepped"/>, the state after step commit <paramref name="step"/> from <paramref name="from"/>.</summary>
    public static async Task WriteAsync(IObjectStore target, DeltaLog log, long from, Snapshot stepped, Commit step, CancellationToken ct)
    {
        var segment = await LogSegment.BuildAsync(target, from, ct)
            ?? throw new SyncException($"the replica's log vanished before the checkpoint of snapshot step {step.Version}");
        await CheckpointWriter.WriteAsync(target, stepped, LiveAddsAsync(log, segment, step, ct), ct);
    }

    /// <summary>
    /// Loads the replica. When its latest commit is a snapshot step whose checkpoint a killed run did not write, that
    /// checkpoint is written first (from checkpoint V1 + commit V2), so the log reads again everywhere.
    /// </summary>
    public static async Task<Snapshot?> LoadCompletingAsync(IObjectStore target, DeltaLog log, CancellationToken ct)
    {
        try
        {
            return await log.LoadSnapshotAsync(null, ct);
        }
        catch (DeltaFormatException)
        {
            if (!await CompleteAsync(target, log, ct))
                throw;
        }
        return await log.LoadSnapshotAsync(null, ct);
    }

    private static async Task<bool> CompleteAsync(IObjectStore target, DeltaLog log, CancellationToken ct)
    {
        var commits = await log.ListCommitsAsync(ct);
        if (commits.Count == 0 || await target.StatAsync(LogFileNames.Checkpoint(commits[^1].Version), ct) is not null)
            return false;
        var step = await log.ReadCommitAsync(commits[^1].Version, commits[^1].FileTime, ct);
        if (ReplicaCommit.StepFrom(step) is not { } from || await log.LoadSnapshotAsync(from, ct) is not { } before)
            return false;
        before.ApplyAfterGap(step);
        await WriteAsync(target, log, from, before, step, ct);
        return true;
    }

    private static async IAsyncEnumerable<AddFile> LiveAddsAsync(DeltaLog log, LogSegment before, Commit step, [EnumeratorCancellation] CancellationToken ct)
    {
        var changed = new HashSet<FileKey>();
        foreach (var action in step.Actions)
        {
            if (action is AddFile add)
                changed.Add(add.Key);
            else if (action is RemoveFile remove)
                changed.Add(remove.Key);
        }
        await foreach (var add in log.ScanLiveAddsAsync(before, ct))
        {
            if (!changed.Contains(add.Key))
                yield return add;
        }
        foreach (var add in step.Actions.OfType<AddFile>())
            yield return add;
    }
}
