using System.Diagnostics;
using System.Threading.Channels;
using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.Sync.Checkpointing;

/// <summary>
/// The run's checkpoint stage, beside the planner and the committer: the committer reports each version it wrote,
/// and whenever the <see cref="CheckpointPolicy"/> says one is due this stage checkpoints the newest committed version,
/// read back from the replica's log, while later commits go on. A checkpoint is written only after its commit, and
/// <c>_last_checkpoint</c> only after the checkpoint is complete, so a kill at any point leaves a readable table.
/// </summary>
internal sealed class CheckpointStage(IObjectStore target, DeltaLog log, CheckpointPolicy policy, long startVersion)
{
    private readonly Channel<long> _committed = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Commit <paramref name="version"/> is written.</summary>
    public void Committed(long version) => _committed.Writer.TryWrite(version);

    /// <summary>Every commit of the run is written: the end-of-run checkpoint follows, if due.</summary>
    public void Complete() => _committed.Writer.TryComplete();

    /// <summary>Checkpoints until <see cref="Complete"/>, then writes the end-of-run checkpoint if the policy asks for one.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        // The replica's newest checkpoint is at or before the run's start version, so counting from there never
        // checkpoints more often than the policy allows; the end of the run looks at the log itself.
        var checkpointed = startVersion;
        var latest = startVersion;
        var since = Stopwatch.GetTimestamp();
        while (await _committed.Reader.WaitToReadAsync(ct))
        {
            while (_committed.Reader.TryRead(out var version))
                latest = version;
            if (!policy.IsDue(latest - checkpointed, Stopwatch.GetElapsedTime(since), runEnded: false))
                continue;
            await WriteAsync(await SegmentAsync(latest, ct), ct);
            checkpointed = latest;
            since = Stopwatch.GetTimestamp();
        }
        if (latest == startVersion || latest == checkpointed || policy.Every <= 0)
            return;
        var segment = await SegmentAsync(latest, ct);
        if (policy.IsDue(latest - (segment.Checkpoint?.Version ?? -1), Stopwatch.GetElapsedTime(since), runEnded: true))
            await WriteAsync(segment, ct);
    }

    private async Task<LogSegment> SegmentAsync(long version, CancellationToken ct) =>
        await LogSegment.BuildAsync(target, version, ct)
        ?? throw new SyncException($"the replica's log vanished before checkpoint {version}");

    // The snapshot is replayed from the log rather than kept beside the planner's, which runs ahead of the commits;
    // the full adds (stats, tags) are streamed back from the same segment.
    private async Task WriteAsync(LogSegment segment, CancellationToken ct)
    {
        var snapshot = await log.ReplayAsync(segment, ct);
        await CheckpointWriter.WriteAsync(target, snapshot, log.ScanLiveAddsAsync(segment, ct), ct);
    }
}
