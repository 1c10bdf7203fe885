using System.Collections.Concurrent;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// An object written as Azure blocks, one per part: part <c>i</c> is always block id <c>i</c> of this write, so writing
/// a part again (a retry) replaces its block. Complete commits the blocks in part order with Put Block List.
/// Nothing needs starting, and nothing can be aborted: disposing without completing leaves only uncommitted blocks,
/// invisible to readers, which the blob's next commit discards and Azure garbage-collects after 7 days.
/// </summary>
internal sealed class AzureMultipartWrite(AzureBlocks blocks, string key, long size) : IMultipartWrite
{
    private readonly string _writeId = BlockIds.NewWriteId();
    private readonly ConcurrentDictionary<int, (long Offset, long Length)> _parts = new();
    private volatile bool _completed;

    public async Task WritePartAsync(int index, long offset, long length, Stream content, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (index < 0 || index >= AzureStoreOptions.MaxBlocks)
            throw new ArgumentOutOfRangeException(nameof(index), $"an Azure blob has at most {AzureStoreOptions.MaxBlocks} blocks (parts 0-{AzureStoreOptions.MaxBlocks - 1})");
        if (offset < 0 || length <= 0 || length > AzureStoreOptions.MaxBlockSize || offset + length > size)
            throw new ArgumentOutOfRangeException(nameof(length), $"part {index} ({length} bytes at {offset}) does not fit a {size}-byte object in blocks of at most {AzureStoreOptions.MaxBlockSize} bytes");
        // Put Block replaces a block atomically: if this fails, an earlier write of the same part is still intact,
        // so the record of it is only updated on success.
        await blocks.PutBlockAsync(key, BlockIds.Id(_writeId, index), content, length, ct);
        _parts[index] = (offset, length);
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (size == 0 && _parts.IsEmpty)
        {
            await blocks.PutBlobAsync(key, ReadOnlyMemory<byte>.Empty, ct);
            _completed = true;
            return;
        }
        var parts = _parts.OrderBy(p => p.Key).ToList();
        long next = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Key != i)
                throw new InvalidOperationException($"part {i} of {blocks.Calls.BlobName(key)} was never written");
            if (parts[i].Value.Offset != next)
                throw new InvalidOperationException($"part {i} of {blocks.Calls.BlobName(key)} starts at {parts[i].Value.Offset}, but the parts before it end at {next}");
            next += parts[i].Value.Length;
        }
        if (next != size)
            throw new InvalidOperationException($"the parts of {blocks.Calls.BlobName(key)} cover {next} bytes, not {size}");
        await blocks.PutBlockListAsync(key, [.. parts.Select(p => BlockIds.Id(_writeId, p.Key))], ct);
        _completed = true;
    }

    public ValueTask DisposeAsync()
    {
        // No abort exists for staged blocks; see the class summary.
        _completed = true;
        return ValueTask.CompletedTask;
    }
}
