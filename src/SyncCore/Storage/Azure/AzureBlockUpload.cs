using System.Buffers;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// One blob written as staged blocks from a non-seekable stream: blocks are read into pooled buffers and sent at most
/// <see cref="AzureStoreOptions.MaxParallelBlocks"/> at a time, so memory stays bounded whatever the object size, and a
/// block that fails transiently is sent again from its buffer. Put Block List publishes the blob atomically at the
/// end. Azure has no way to drop staged blocks: after a failure they stay uncommitted and invisible until the blob's
/// next commit discards them or Azure garbage-collects them (after 7 days).
/// </summary>
internal sealed class AzureBlockUpload(AzureBlobStore store, AzureStoreOptions options, string key, ArrayPool<byte> buffers)
{
    private readonly string _writeId = BlockIds.NewWriteId();

    /// <summary>Stages <paramref name="head"/> (a full block, returned to the pool here) and the rest of <paramref name="rest"/>, then commits.</summary>
    public async Task<long> RunAsync(byte[] head, Stream rest, CancellationToken ct)
    {
        var blockSize = options.BlockSize;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var slots = new SemaphoreSlim(options.MaxParallelBlocks);
        var blocks = new List<Task>();
        var ids = new List<string>();
        try
        {
            long total = blockSize;
            slots.Wait(0); // a fresh semaphore: the head's slot is free
            blocks.Add(StageAsync(ids, head, blockSize, slots, cts.Token));
            while (true)
            {
                // Wait for a free slot before reading, so at most MaxParallelBlocks buffers are filled and unsent.
                await slots.WaitAsync(cts.Token);
                FailFast(blocks);
                var buffer = buffers.Rent(blockSize);
                int filled;
                try
                {
                    filled = await rest.ReadAtLeastAsync(buffer.AsMemory(0, blockSize), blockSize, throwOnEndOfStream: false, cts.Token);
                    if (filled > 0 && ids.Count == AzureStoreOptions.MaxBlocks)
                        throw new IOException($"{store.Blob(key)} would need more than {AzureStoreOptions.MaxBlocks} blocks of {blockSize} bytes; raise the block size");
                }
                catch
                {
                    buffers.Return(buffer);
                    slots.Release();
                    throw;
                }
                if (filled == 0)
                {
                    buffers.Return(buffer);
                    slots.Release();
                    break;
                }
                total += filled;
                blocks.Add(StageAsync(ids, buffer, filled, slots, cts.Token));
                if (filled < blockSize)
                    break;
            }
            await Task.WhenAll(blocks);
            await store.PutBlockListAsync(key, ids, cts.Token);
            return total;
        }
        catch
        {
            await cts.CancelAsync();
            await DrainAsync(blocks);
            throw;
        }
    }

    /// <summary>Sends one block (retried per block by the store) and frees its buffer and slot.</summary>
    private Task StageAsync(List<string> ids, byte[] buffer, int length, SemaphoreSlim slots, CancellationToken ct)
    {
        var id = BlockIds.Id(_writeId, ids.Count);
        ids.Add(id);
        return Run();

        async Task Run()
        {
            try
            {
                await store.PutBlockAsync(key, id, buffer.AsMemory(0, length), ct);
            }
            finally
            {
                buffers.Return(buffer);
                slots.Release();
            }
        }
    }

    /// <summary>Stops reading the source as soon as a block has failed, instead of after the whole stream.</summary>
    private static void FailFast(List<Task> blocks)
    {
        foreach (var block in blocks)
        {
            if (block.IsFaulted || block.IsCanceled)
                block.GetAwaiter().GetResult();
        }
    }

    private static async Task DrainAsync(List<Task> blocks)
    {
        try { await Task.WhenAll(blocks); }
        catch (Exception) { /* the first failure is already being reported; the others are its consequences */ }
    }
}
