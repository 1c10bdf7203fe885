using System.Runtime.InteropServices;

namespace ReplicaSync.Storage;

/// <summary>
/// A new temp file being filled by a local write. On Linux it is a bare descriptor: open, write, (fsync,) close and
/// nothing else, where a FileStream would add fstatfs, an advisory lock and its release, and a seek per file.
/// Elsewhere it is a FileStream opened for shared access.
/// </summary>
internal sealed partial class LocalTempFile : IDisposable
{
    private const int ENOENT = 2;
    // Linux open(2) flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC.
    private const int CreateFlags = 0x1 | 0x40 | 0x80 | 0x80000;

    private readonly int _fd = -1;
    private readonly FileStream? _stream;
    private readonly string _path;

    private LocalTempFile(string path, int fd, FileStream? stream)
    {
        _path = path;
        _fd = fd;
        _stream = stream;
    }

    /// <summary>Creates the file, which must not exist; a missing directory throws <see cref="DirectoryNotFoundException"/>.</summary>
    public static LocalTempFile Create(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new LocalTempFile(path, -1, new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0,
            }));
        }
        var fd = open(path, CreateFlags, Convert.ToInt32("666", 8));
        if (fd >= 0)
            return new LocalTempFile(path, fd, null);
        var errno = Marshal.GetLastPInvokeError();
        if (errno == ENOENT)
            throw new DirectoryNotFoundException($"the directory of {path} does not exist");
        throw new IOException($"cannot create {path}: {NativeError.Describe(errno)}");
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_stream is not null)
        {
            _stream.Write(bytes);
            return;
        }
        while (!bytes.IsEmpty)
        {
            var written = write(_fd, bytes, bytes.Length);
            if (written < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == 4) // EINTR
                    continue;
                throw new IOException($"cannot write {_path}: {NativeError.Describe(errno)}");
            }
            bytes = bytes[(int)written..];
        }
    }

    /// <summary>Makes the file's bytes durable.</summary>
    public void FlushToDisk()
    {
        if (_stream is not null)
            _stream.Flush(flushToDisk: true);
        else if (fsync(_fd) != 0)
            throw new IOException($"cannot fsync {_path}: {NativeError.Last()}");
    }

    public void Dispose()
    {
        if (_stream is not null)
            _stream.Dispose();
        else
            close(_fd);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, ReadOnlySpan<byte> buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
