namespace ReplicaSync.Sync.Copy;

/// <summary>
/// The copies one version waits for: the files it enqueued (counted in its stats) and shared ones others enqueued.
/// It keeps counters, not the copies, so a version of a million files costs no more than one of ten.
/// </summary>
public sealed class VersionCopy(Func<CancellationToken, Task>? makeDurable = null)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CopyStats _stats = new();
    private readonly Lock _lock = new();
    // One for the enqueuing side until it seals the version, so the count cannot reach zero while files are still added.
    private int _pending = 1;
    private int _sealed;

    internal void Own(Task<CopiedFile> copy) => Track(copy, counted: true);

    internal void DependOn(Task<CopiedFile> copy) => Track(copy, counted: false);

    /// <summary>No more files will be added to this version.</summary>
    internal void Seal()
    {
        if (Interlocked.Exchange(ref _sealed, 1) == 0)
            Settle();
    }

    /// <summary>
    /// Completes when every file the version references is durable (for a store that batches durability, after the
    /// sync that covers them); faults with the first copy that failed.
    /// </summary>
    public async Task<CopyStats> WhenDurableAsync(CancellationToken ct)
    {
        Seal();
        await _done.Task.WaitAsync(ct);
        if (makeDurable is not null)
            await makeDurable(ct);
        return _stats;
    }

    private void Track(Task<CopiedFile> copy, bool counted)
    {
        Interlocked.Increment(ref _pending);
        copy.ContinueWith(static (task, state) =>
        {
            var (version, counted) = ((VersionCopy, bool))state!;
            version.Completed(task, counted);
        }, (this, counted), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Completed(Task<CopiedFile> copy, bool counted)
    {
        if (copy.IsFaulted)
            _done.TrySetException(copy.Exception!.InnerExceptions);
        else if (copy.IsCanceled)
            _done.TrySetCanceled();
        else if (counted)
        {
            var file = copy.Result;
            lock (_lock)
            {
                if (file.Reused)
                    _stats.AddReused();
                else
                    _stats.AddCopied(file.Bytes);
            }
        }
        Settle();
    }

    private void Settle()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
            _done.TrySetResult();
    }
}
