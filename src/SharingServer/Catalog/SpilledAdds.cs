using System.Buffers;
using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The live adds of a snapshot being served in pages, spilled to a temp file in the log's scan order (the same for the
/// same log files), with the offset of each: memory per file is one offset, not the add with its stats (~1 KB), so a
/// million-file snapshot holds ~8 MB between its pages. It is a <see cref="ScratchFile"/>, so nothing is left
/// behind, even by a killed server. Readers hold a lease
/// (<see cref="TryAcquire"/>); the file closes when the owner and the last reader have let go.
/// </summary>
internal sealed class SpilledAdds
{
    private readonly FileStream _file;
    private readonly long[] _offsets;
    private int _holders = 1;

    private SpilledAdds(FileStream file, long[] offsets)
    {
        _file = file;
        _offsets = offsets;
    }

    /// <summary>Files held.</summary>
    public int Count => _offsets.Length - 1;

    /// <summary>Whether everyone has let go and the file is closed.</summary>
    public bool Closed => Volatile.Read(ref _holders) == 0;

    /// <summary>Writes <paramref name="adds"/> to a new temp file; the caller owns the result (one lease).</summary>
    public static async Task<SpilledAdds> WriteAsync(IAsyncEnumerable<AddFile> adds, CancellationToken ct)
    {
        var file = ScratchFile.Create("replicasync-pages", ".ndjson");
        try
        {
            var offsets = new List<long> { 0 };
            using (var lines = new ActionLineEncoder())
            {
                await foreach (var add in adds.WithCancellation(ct))
                {
                    var line = lines.Encode(add);
                    file.Write(line);
                    offsets.Add(offsets[^1] + line.Length);
                }
            }
            await file.FlushAsync(ct);
            return new SpilledAdds(file, [.. offsets]);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>The add at <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>), read back from the file; needs a lease.</summary>
    public AddFile this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var length = (int)(_offsets[index + 1] - _offsets[index]);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var read = 0;
                while (read < length)
                {
                    var n = RandomAccess.Read(_file.SafeFileHandle, buffer.AsSpan(read, length - read), _offsets[index] + read);
                    if (n == 0)
                        throw new IOException($"the paged snapshot's spill file ended inside file line {index}");
                    read += n;
                }
                return (AddFile)ActionCodec.Parse(buffer.AsSpan(0, length), "the paged snapshot's spill file");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>A reader's lease: false once the file has been let go by everyone (the caller then builds anew).</summary>
    public bool TryAcquire()
    {
        var holders = Volatile.Read(ref _holders);
        while (holders > 0)
        {
            var seen = Interlocked.CompareExchange(ref _holders, holders + 1, holders);
            if (seen == holders)
                return true;
            holders = seen;
        }
        return false;
    }

    /// <summary>Ends a lease (a reader's, or the owner's when it drops the snapshot); the last one closes the file.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
            _file.Dispose();
    }
}
