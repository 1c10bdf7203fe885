using System.Buffers;

namespace ReplicaSync.Storage;

/// <summary>
/// Feeds a non-seekable stream to an upload made of parts (S3 multipart, Azure blocks): a head of
/// <c>headSize</c> bytes, then parts of <c>partSize</c> bytes, each read into a pooled buffer and sent at most
/// <c>maxParallel</c> at a time, so memory stays bounded whatever the object size. A part's buffer is kept until
/// its send ends, so a store can retry a part from it. A dedicated pool keeps the head, the parts in flight and the
/// one being filled reused across writes.
/// </summary>
internal sealed class PartFeeder(int headSize, int partSize, int maxParallel)
{
    private readonly ArrayPool<byte> _buffers = ArrayPool<byte>.Create(Math.Max(headSize, partSize), maxParallel + 2);

    public int HeadSize => headSize;

    /// <summary>
    /// A pooled head buffer holding <paramref name="start"/> and then as much of <paramref name="content"/> as fits.
    /// A full head (<c>Filled == HeadSize</c>) goes to <see cref="RunAsync{T}"/>; otherwise the caller returns it with
    /// <see cref="Return"/>.
    /// </summary>
    public async Task<(byte[] Head, int Filled)> FillHeadAsync(ReadOnlyMemory<byte> start, Stream content, CancellationToken ct)
    {
        var head = _buffers.Rent(headSize);
        try
        {
            start.CopyTo(head);
            var filled = start.Length + await content.ReadAtLeastAsync(head.AsMemory(start.Length, headSize - start.Length), headSize - start.Length, throwOnEndOfStream: false, ct);
            return (head, filled);
        }
        catch
        {
            _buffers.Return(head);
            throw;
        }
    }

    public void Return(byte[] head) => _buffers.Return(head);

    /// <summary>
    /// Sends the full <paramref name="head"/> (returned to the pool here) as part 0 and the rest of
    /// <paramref name="rest"/> as parts 1, 2, …; returns what each send gave, in part order, and the bytes sent.
    /// Reading stops as soon as a part has failed; the sends still running are then cancelled and awaited before
    /// the first failure is rethrown. A stream needing more than <paramref name="maxParts"/> parts fails with
    /// <paramref name="tooManyParts"/>.
    /// </summary>
    public async Task<(T[] Parts, long Total)> RunAsync<T>(byte[] head, Stream rest, Func<int, byte[], int, CancellationToken, Task<T>> send,
        CancellationToken ct, int maxParts = int.MaxValue, Func<Exception>? tooManyParts = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var slots = new SemaphoreSlim(maxParallel);
        var parts = new List<Task<T>>();
        try
        {
            long total = headSize;
            slots.Wait(0); // a fresh semaphore: the head's slot is free
            parts.Add(SendAsync(0, head, headSize));
            while (true)
            {
                // Wait for a free slot before reading, so at most maxParallel buffers are filled and unsent.
                await slots.WaitAsync(cts.Token);
                FailFast(parts);
                var buffer = _buffers.Rent(partSize);
                int filled;
                try
                {
                    filled = await rest.ReadAtLeastAsync(buffer.AsMemory(0, partSize), partSize, throwOnEndOfStream: false, cts.Token);
                    if (filled > 0 && parts.Count == maxParts)
                        throw tooManyParts?.Invoke() ?? new IOException($"the stream needs more than {maxParts} parts");
                }
                catch
                {
                    _buffers.Return(buffer);
                    slots.Release();
                    throw;
                }
                if (filled == 0)
                {
                    _buffers.Return(buffer);
                    slots.Release();
                    break;
                }
                total += filled;
                parts.Add(SendAsync(parts.Count, buffer, filled));
                if (filled < partSize)
                    break;
            }
            return (await Task.WhenAll(parts), total);
        }
        catch
        {
            await cts.CancelAsync();
            await DrainAsync(parts);
            throw;
        }

        // Sends one part and frees its buffer and slot.
        async Task<T> SendAsync(int index, byte[] buffer, int length)
        {
            try
            {
                return await send(index, buffer, length, cts.Token);
            }
            finally
            {
                _buffers.Return(buffer);
                slots.Release();
            }
        }
    }

    /// <summary>Stops reading the source as soon as a part has failed, instead of after the whole stream.</summary>
    private static void FailFast<T>(List<Task<T>> parts)
    {
        foreach (var part in parts)
        {
            if (part.IsFaulted || part.IsCanceled)
                part.GetAwaiter().GetResult();
        }
    }

    private static async Task DrainAsync<T>(List<Task<T>> parts)
    {
        try { await Task.WhenAll(parts); }
        catch (Exception) { /* the first failure is already being reported; the others are its consequences */ }
    }
}
