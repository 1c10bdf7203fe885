using ReplicaSync.Integrity;
using ReplicaSync.Storage;

namespace ReplicaSync.Sync.Copy;

/// <summary>
/// Copies one file into the target, by the cheapest way that works: reuse a complete copy an interrupted run left,
/// let the store fetch the URL itself (server-side copy), read a large file as parallel ranges into the store's
/// multipart writes, or stream it. The file is complete with exactly the announced size when this returns, and durable
/// then too unless the store batches durability (<see cref="IBatchDurability"/>), which the version's copy settles.
/// </summary>
internal sealed class FileTransfer(IObjectStore target, SourceReader reader, BandwidthLimiter? limiter, SemaphoreSlim partSlots, SemaphoreSlim streams)
{
    private SyncOptions Options => reader.Options;

    public async Task<CopiedFile> CopyAsync(CopyJob job, CancellationToken ct)
    {
        var existing = await target.StatAsync(job.Key, ct);
        if (existing is not null && (job.Size is null || existing.Size == job.Size))
            return new CopiedFile(existing.Size, Reused: true, job.Action is null ? null : await ReadBackCrcAsync(job.Key, ct));
        if (target is IServerSideCopy serverSide && job.Size is { } size && await TryServerSideAsync(serverSide, job, size, ct) is { } copied)
            return copied;
        if (target is IMultipartWrites multipart && job.Size is { } total && Options.StreamsPerFile > 1)
        {
            var partSize = Math.Max(Math.Max(Options.PartSize, multipart.MinPartSize), (total + multipart.MaxParts - 1) / multipart.MaxParts);
            if (total >= 2 * partSize)
                return await CopyInPartsAsync(multipart, job, total, partSize, ct);
        }
        return await StreamAsync(job, null, ct);
    }

    private async Task<CopiedFile?> TryServerSideAsync(IServerSideCopy serverSide, CopyJob job, long size, CancellationToken ct)
    {
        try
        {
            var url = new Uri(await job.Source.UrlAsync(ct));
            var bytes = await serverSide.CopyFromUrlAsync(job.Key, url, size, ct);
            if (bytes != size)
                throw new SyncException($"{job.What}: the target's server-side copy wrote {bytes} bytes but the provider announced {size}");
            Options.Observer.BytesCopied(bytes);
            return new CopiedFile(bytes, Reused: false, Crc: null);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private async Task<CopiedFile> StreamAsync(CopyJob job, SourceBody? opened, CancellationToken ct)
    {
        await using var source = new SourceStream(reader, job.Source, 0, job.Size, job.Size, job.What, limiter, opened, ct);
        // A store that batches durability is made durable by the version's copy before its commit (VersionCopy).
        var written = target is IBatchDurability batched
            ? await batched.WriteDeferredAsync(job.Key, source, ct)
            : await target.WriteAsync(job.Key, source, ct);
        if (job.Size is { } size && written != size)
            throw new SyncException($"{job.What}: the target stored {written} bytes but the provider announced {size}");
        return new CopiedFile(written, Reused: false, source.Crc) { FirstByte = source.FirstByte };
    }

    /// <summary>
    /// Reads the file as ranges on up to <see cref="SyncOptions.StreamsPerFile"/> connections, each written as a part.
    /// The first range doubles as a probe: a server that ignores Range sends the whole file, which is then streamed.
    /// </summary>
    private async Task<CopiedFile> CopyInPartsAsync(IMultipartWrites multipart, CopyJob job, long size, long partSize, CancellationToken ct)
    {
        var first = await reader.OpenAsync(job.Source, 0, partSize, size, job.What, ct);
        if (!first.Ranged)
            return await StreamAsync(job, first, ct);
        var parts = (int)((size + partSize - 1) / partSize);
        var crcs = new uint[parts];
        var next = 0;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            await using var write = await multipart.BeginAsync(job.Key, size, ct);
            // The file's own connection reads ranges until none is left; extra ones join while idle connections
            // exist, taking one for each range.
            async Task PartWorkerAsync(bool extra)
            {
                while (true)
                {
                    if (extra && !streams.Wait(0))
                        return;
                    try
                    {
                        var index = Interlocked.Increment(ref next) - 1;
                        if (index >= parts)
                            return;
                        await CopyPartAsync(index);
                    }
                    finally
                    {
                        if (extra)
                            streams.Release();
                    }
                }
            }
            async Task CopyPartAsync(int index)
            {
                var offset = index * partSize;
                var length = Math.Min(partSize, size - offset);
                await partSlots.WaitAsync(failed.Token);
                try
                {
                    var opened = index == 0 ? Interlocked.Exchange(ref first, null) : null;
                    await using var source = new SourceStream(reader, job.Source, offset, offset + length, size, job.What, limiter, opened, failed.Token);
                    await write.WritePartAsync(index, offset, length, source, failed.Token);
                    crcs[index] = source.Crc;
                }
                finally
                {
                    partSlots.Release();
                }
            }
            // The first failed part cancels the others and is what the caller sees.
            await Stages.RunAsync(failed, Enumerable.Range(0, Math.Min(Options.StreamsPerFile, parts))
                .Select(i => (Func<Task>)(() => Task.Run(() => PartWorkerAsync(extra: i > 0), CancellationToken.None))).ToArray());
            await write.CompleteAsync(ct);
        }
        finally
        {
            first?.Dispose();
        }
        var crc = crcs[0];
        for (var i = 1; i < parts; i++)
            crc = Crc32C.Combine(crc, crcs[i], Math.Min(partSize, size - i * partSize));
        return new CopiedFile(size, Reused: false, crc);
    }

    /// <summary>The CRC of a file an earlier run left, so its add records a checksum like a fresh copy does.</summary>
    private async Task<uint> ReadBackCrcAsync(string key, CancellationToken ct)
    {
        await using var stream = await target.OpenReadAsync(key, null, ct);
        return await CrcReader.ComputeAsync(stream, ct);
    }
}
