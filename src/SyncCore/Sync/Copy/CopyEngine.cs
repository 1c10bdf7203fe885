using System.Diagnostics;
using System.Threading.Channels;
using ReplicaSync.Delta;
using ReplicaSync.Integrity;
using ReplicaSync.Storage;

namespace ReplicaSync.Sync.Copy;

/// <summary>
/// The copy stage of a run: a bounded queue of files feeding up to <see cref="SyncOptions.MaxConcurrentFiles"/> workers,
/// as many at once as <see cref="FilesInFlight"/> allows.
/// The planner enqueues each version's files and gets a <see cref="VersionCopy"/> to await; a deletion-vector file
/// shared by several versions is copied once. A failed file fails <see cref="RunAsync"/>, which stops the run.
/// </summary>
public sealed class CopyEngine
{
    public const string ChecksumTag = "replicasync.crc32c";
    private readonly Channel<CopyJob> _queue;
    private readonly FileTransfer _transfer;
    /// <summary>
    /// Connections the copy may use (as many as <see cref="FilesInFlight"/> allows): each file being copied holds one,
    /// and a large file reads extra ranges in parallel only on connections no other file is using (so eight large
    /// files read one range each, like eight single downloads, while a lone large file fans out).
    /// </summary>
    private readonly SemaphoreSlim _streams;
    private readonly SyncOptions _options;
    private readonly FilesInFlight _inFlight;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Dictionary<string, Task<CopiedFile>> _sharedFiles = new(StringComparer.Ordinal);
    private readonly Func<CancellationToken, Task>? _makeDurable;

    public CopyEngine(IObjectStore target, HttpClient http, SyncOptions options)
    {
        _options = options;
        _makeDurable = target is IBatchDurability batched ? batched.MakeDurableAsync : null;
        _queue = Channel.CreateBounded<CopyJob>(new BoundedChannelOptions(Math.Max(1, options.MaxConcurrentFiles) * 2) { SingleWriter = true });
        var limiter = options.Bandwidth;
        var partSlots = (int)Math.Clamp(options.MemoryCeiling / Math.Max(1, options.PartSize), 1, 1024);
        _inFlight = new FilesInFlight(options.ConcurrentFilesAtStart, options.MaxConcurrentFiles, TimeSpan.Zero);
        _streams = new SemaphoreSlim(_inFlight.Limit);
        _transfer = new FileTransfer(target, new SourceReader(http, options), limiter, new SemaphoreSlim(partSlots), _streams);
    }

    /// <summary>Runs the workers until <see cref="Complete"/> and the queue is drained; faults with the first failed file.</summary>
    public Task RunAsync(CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.MaxConcurrentFiles)).Select(_ => Task.Run(() => WorkAsync(ct), ct)));

    /// <summary>No more files will be enqueued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Enqueues the files <paramref name="plan"/> adds, with URLs tracked by <paramref name="urls"/>, and its change
    /// data files, with URLs tracked by the change data query that returned them.
    /// </summary>
    public async ValueTask<VersionCopy> EnqueueAsync(VersionPlan plan, UrlQuery urls, CancellationToken ct)
    {
        var version = NewVersion();
        foreach (var file in plan.Adds)
            await EnqueueAsync(version, file, urls, ct);
        foreach (var change in plan.ChangeFiles)
        {
            var source = change.Source;
            var handle = change.Urls.Register(source.Id, source.Url, source.ExpirationTimestamp);
            version.Own(await StartAsync(new CopyJob(handle, change.Key, change.Action.Size, $"change data file {source.Id}", change.Action), ct));
        }
        version.Seal();
        return version;
    }

    /// <summary>The copies of a version whose files will be enqueued one by one.</summary>
    public VersionCopy NewVersion() => new(_makeDurable);

    /// <summary>
    /// Enqueues one file (and its deletion vector) of a version whose files arrive as a stream; the caller seals
    /// <paramref name="version"/> after the last one. The task completes when the file is durable and its add tagged.
    /// </summary>
    public async ValueTask<Task<CopiedFile>> EnqueueAsync(VersionCopy version, PlannedFile file, UrlQuery urls, CancellationToken ct)
    {
        var source = file.Source;
        var handle = urls.Register(source.Id, source.Url, source.ExpirationTimestamp);
        var copied = await StartAsync(new CopyJob(handle, file.Key, file.Action.Size, $"file {source.Id}", file.Action), ct);
        version.Own(copied);
        if (file.DeletionVector is not { } dv)
            return copied;
        if (_sharedFiles.TryGetValue(dv.Key, out var running))
        {
            version.DependOn(running);
            return copied;
        }
        var dvHandle = urls.Register(UrlQuery.DeletionVectorId(source.Id), dv.Url, source.ExpirationTimestamp);
        var dvCopy = await StartAsync(new CopyJob(dvHandle, dv.Key, null, $"deletion vector of file {source.Id}", null), ct);
        _sharedFiles[dv.Key] = dvCopy;
        version.Own(dvCopy);
        return copied;
    }

    private static void Tag(DeltaAction? action, string crc)
    {
        switch (action)
        {
            case AddFile add:
                (add.Tags ??= [])[ChecksumTag] = crc;
                break;
            case CdcFile change:
                (change.Tags ??= [])[ChecksumTag] = crc;
                break;
        }
    }

    private async ValueTask<Task<CopiedFile>> StartAsync(CopyJob job, CancellationToken ct)
    {
        await _queue.Writer.WriteAsync(job, ct);
        return job.Done.Task;
    }

    /// <summary>Feeds a streamed file's timing to <see cref="FilesInFlight"/> and opens the connections it adds.</summary>
    private void Measure(CopiedFile copied, long started)
    {
        if (copied.FirstByte is not { } firstByte)
            return;
        var now = Stopwatch.GetElapsedTime(_started);
        var body = Stopwatch.GetElapsedTime(started) - firstByte;
        int added;
        lock (_inFlight)
            added = _inFlight.Record(copied.Bytes, firstByte, body < TimeSpan.Zero ? TimeSpan.Zero : body, now);
        if (added > 0)
            _streams.Release(added);
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        await foreach (var job in _queue.Reader.ReadAllAsync(ct))
        {
            try
            {
                CopiedFile copied;
                await _streams.WaitAsync(ct);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    copied = await _transfer.CopyAsync(job, ct);
                }
                finally
                {
                    _streams.Release();
                }
                job.Source.Release();
                Measure(copied, started);
                if (copied.Crc is { } crc)
                    Tag(job.Action, Crc32C.Format(crc));
                _options.Observer.FileCopied(copied.Bytes, copied.Reused);
                job.Done.SetResult(copied);
            }
            catch (Exception e)
            {
                job.Done.TrySetException(e);
                throw;
            }
        }
    }
}
