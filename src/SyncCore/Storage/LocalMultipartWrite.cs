using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace ReplicaSync.Storage;

/// <summary>
/// A local object written in parts: each part goes to its offset of one preallocated temp file (positional writes,
/// so parts can arrive in any order and in parallel); completion fsyncs the file and renames it into place.
/// </summary>
internal sealed class LocalMultipartWrite : IMultipartWrite
{
    private readonly string _temp;
    private readonly string _target;
    private readonly long _size;
    private readonly FileStream _file;
    private readonly SafeFileHandle _handle;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, long> _parts = new();
    private bool _completed;

    public LocalMultipartWrite(string temp, string target, long size)
    {
        _temp = temp;
        _target = target;
        _size = size;
        _file = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0,
            PreallocationSize = size,
        });
        _handle = _file.SafeFileHandle;
    }

    public async Task WritePartAsync(int index, long offset, long length, Stream content, CancellationToken ct)
    {
        if (offset < 0 || length < 0 || offset + length > _size)
            throw new ArgumentOutOfRangeException(nameof(offset), $"part {index} [{offset}, {offset + length}) lies outside the object's {_size} bytes");
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(LocalObjectStore.CopyBufferSize, Math.Max(1, length)));
        try
        {
            var position = offset;
            var end = offset + length;
            while (position < end)
            {
                // Fill the buffer before writing: one large write instead of one per network read.
                var want = (int)Math.Min(LocalObjectStore.CopyBufferSize, end - position);
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, ct);
                if (read == 0)
                    throw new IOException($"part {index} of {_target} ended after {position - offset} of its {length} bytes");
                await RandomAccess.WriteAsync(_handle, buffer.AsMemory(0, read), position, ct);
                position += read;
            }
            if (await content.ReadAsync(buffer.AsMemory(0, 1), ct) != 0)
                throw new IOException($"part {index} of {_target} is longer than its {length} bytes");
            _parts[index] = length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task CompleteAsync(CancellationToken ct)
    {
        var written = _parts.Values.Sum();
        if (written != _size)
            throw new IOException($"{_target}: its parts hold {written} bytes, not the object's {_size}");
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        LocalObjectStore.Publish(_temp, _target);
        _completed = true;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _file.Dispose();
        if (!_completed)
            LocalObjectStore.TryDelete(_temp);
        return ValueTask.CompletedTask;
    }
}
