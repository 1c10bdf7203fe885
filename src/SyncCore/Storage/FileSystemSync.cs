using System.Runtime.InteropServices;

namespace ReplicaSync.Storage;

/// <summary>
/// Makes the deferred writes of a local store durable with one <c>syncfs(2)</c> of its file system: data and renames
/// of every file written so far, in one call instead of two fsyncs per file. Calls that find their writes already
/// covered by a finished sync return at once; one sync runs at a time. The first call always syncs: files an earlier,
/// killed process left may still be only in the page cache, and a run that reuses them must not commit them before.
/// </summary>
internal sealed partial class FileSystemSync(string root)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _written;
    private long _synced = -1;

    /// <summary>Whether deferring is possible here; elsewhere every write is fsynced as it completes.</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>A deferred write has completed; the next sync must cover it.</summary>
    public void Written() => Interlocked.Increment(ref _written);

    public async Task SyncAsync(CancellationToken ct)
    {
        var wanted = Interlocked.Read(ref _written);
        if (Interlocked.Read(ref _synced) >= wanted)
            return;
        await _gate.WaitAsync(ct);
        try
        {
            if (Interlocked.Read(ref _synced) >= wanted)
                return;
            // Everything completed up to now is covered by this sync, not only what the caller waited for.
            var covered = Interlocked.Read(ref _written);
            await Task.Run(SyncNow, ct);
            Interlocked.Exchange(ref _synced, covered);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void SyncNow()
    {
        var fd = open(root, 0);
        if (fd < 0)
            throw new IOException($"cannot open {root} to sync it: {NativeError.Last()}");
        try
        {
            if (syncfs(fd) != 0)
                throw new IOException($"syncfs of {root} failed: {NativeError.Last()}");
        }
        finally
        {
            close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int syncfs(int fd);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
