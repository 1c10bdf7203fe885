namespace ReplicaSync.Daemon.Scheduling;

/// <summary>
/// Shutdown in two steps: <see cref="Draining"/> asks runs to plan no further version but finish and commit the ones
/// being copied (and queued runs not to start); <see cref="Abort"/> follows after the grace period and cancels
/// whatever is still copying. Either way only whole commits are ever visible, so the next start resumes from the
/// last one.
/// </summary>
public sealed class DrainSignal : IDisposable
{
    private readonly CancellationTokenSource _drain = new();
    private readonly CancellationTokenSource _abort = new();

    public CancellationToken Draining => _drain.Token;
    public CancellationToken Abort => _abort.Token;
    public bool IsDraining => _drain.IsCancellationRequested;

    public void Begin(TimeSpan grace)
    {
        _drain.Cancel();
        _abort.CancelAfter(grace);
    }

    public void Dispose()
    {
        _drain.Dispose();
        _abort.Dispose();
    }
}
