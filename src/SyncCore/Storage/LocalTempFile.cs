using System.Runtime.InteropServices;

namespace ReplicaSync.Storage;

/// <summary>
/// A new local file being filled, not yet visible under the name it is meant for. On Linux it is, where the file
/// system allows, an unnamed file (<c>O_TMPFILE</c>) in the target's directory, linked to its name once complete: no
/// temp name to create, rename or clean up, and a copy that fails or is killed leaves nothing. Otherwise it is a
/// hidden temp file next to the target (<see cref="LocalObjectStore.TempMarker"/>), renamed or linked into place, and
/// deleted if it never is. On Linux the file is a bare descriptor: open, write, (fsync,) close and nothing else, where
/// a FileStream would add fstatfs, an advisory lock and its release, and a seek per file.
/// </summary>
internal sealed partial class LocalTempFile : IDisposable
{
    private const int ENOENT = 2, EINTR = 4, EEXIST = 17, EISDIR = 21, EINVAL = 22, EOPNOTSUPP = 95;
    // Linux open(2) flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, and O_WRONLY | O_TMPFILE | O_CLOEXEC, where
    // O_TMPFILE includes O_DIRECTORY, whose value is the one flag here that differs between x64 and Arm.
    private const int CreateFlags = 0x1 | 0x40 | 0x80 | 0x80000;
    private static readonly int UnnamedFlags = 0x1 | 0x400000 | 0x80000
        | (RuntimeInformation.OSArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000);
    private const int AtFdCwd = -100, AtSymlinkFollow = 0x400;
    private static readonly int Mode = Convert.ToInt32("666", 8);

    private readonly int _fd = -1;
    private readonly FileStream? _stream;
    private readonly string _target;
    // The temp file's name while it has one that is only ours; null when unnamed or once published by rename.
    private string? _tempName;

    private LocalTempFile(string target, string? tempName, int fd, FileStream? stream)
    {
        _target = target;
        _tempName = tempName;
        IsUnnamed = tempName is null;
        _fd = fd;
        _stream = stream;
    }

    /// <summary>Whether unnamed files can be tried on this system (Linux, with /proc to link them by).</summary>
    public static bool UnnamedSupported { get; } = OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd");

    /// <summary>Whether this file was created without a name (<c>O_TMPFILE</c>).</summary>
    public bool IsUnnamed { get; }

    /// <summary>
    /// A new file for <paramref name="target"/>: unnamed when <paramref name="unnamed"/> is asked and the file system
    /// allows it (else named; see <see cref="IsUnnamed"/>). A missing directory throws <see cref="DirectoryNotFoundException"/>.
    /// </summary>
    public static LocalTempFile Create(string target, bool unnamed)
    {
        if (unnamed && UnnamedSupported)
        {
            var fd = open(Path.GetDirectoryName(target)!, UnnamedFlags, Mode);
            if (fd >= 0)
                return new LocalTempFile(target, null, fd, null);
            var errno = Marshal.GetLastPInvokeError();
            // EOPNOTSUPP: the file system has no unnamed files; EISDIR or EINVAL: the kernel does not know the flag.
            if (errno is not (EOPNOTSUPP or EISDIR or EINVAL))
                throw OpenFailed(target, errno);
        }
        var temp = TempName(target);
        if (!OperatingSystem.IsLinux())
        {
            return new LocalTempFile(target, temp, -1, new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0,
            }));
        }
        var named = open(temp, CreateFlags, Mode);
        return named >= 0 ? new LocalTempFile(target, temp, named, null) : throw OpenFailed(temp, Marshal.GetLastPInvokeError());
    }

    /// <summary>A unique hidden name next to <paramref name="target"/> that vacuum knows as a writer's temp file.</summary>
    public static string TempName(string target)
    {
        var slash = target.LastIndexOf(Path.DirectorySeparatorChar);
        return $"{target.AsSpan(0, slash + 1)}.{target.AsSpan(slash + 1)}{LocalObjectStore.TempMarker}{Guid.NewGuid():N}";
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
                if (errno == EINTR)
                    continue;
                throw new IOException($"cannot write {_target}: {NativeError.Describe(errno)}");
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
            throw new IOException($"cannot fsync the new {_target}: {NativeError.Last()}");
    }

    /// <summary>Makes the complete file visible as its target, replacing any file there (never a partial one).</summary>
    public void Publish()
    {
        if (_tempName is { } temp)
        {
            Rename(temp, _target);
            _tempName = null;
            return;
        }
        var errno = LinkUnnamed(_target);
        if (errno == 0)
            return;
        if (errno != EEXIST)
            throw LinkFailed(errno);
        // A file is there already (say, one a killed run copied): a name of our own first, then a rename over it.
        temp = TempName(_target);
        if ((errno = LinkUnnamed(temp)) != 0)
            throw new IOException($"cannot give the new {_target} a temp name: {NativeError.Describe(errno)}");
        _tempName = temp;
        Rename(temp, _target);
        _tempName = null;
    }

    /// <summary>Makes the complete file visible as its target unless a file is there: false, and nothing changed, then.</summary>
    public bool PublishIfAbsent()
    {
        var errno = _tempName is { } temp ? (link(temp, _target) == 0 ? 0 : Marshal.GetLastPInvokeError()) : LinkUnnamed(_target);
        return errno switch
        {
            0 => true,
            EEXIST => false,
            _ => throw LinkFailed(errno),
        };
    }

    /// <summary>Closes the file; a temp name still ours (never renamed, or linked to the target as well) is removed.</summary>
    public void Dispose()
    {
        if (_stream is not null)
            _stream.Dispose();
        else
            close(_fd);
        if (_tempName is not null)
            LocalObjectStore.TryDelete(_tempName);
    }

    private int LinkUnnamed(string name) =>
        linkat(AtFdCwd, $"/proc/self/fd/{_fd}", AtFdCwd, name, AtSymlinkFollow) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Renames a complete temp file into place, replacing any file there.</summary>
    internal static void Rename(string from, string to)
    {
        if (rename(from, to) != 0)
            throw new IOException($"cannot move a temp file into place as {to}: rename failed: {NativeError.Last()}");
    }

    private IOException LinkFailed(int errno) => new($"cannot publish {_target}: link failed: {NativeError.Describe(errno)}");

    private static IOException OpenFailed(string path, int errno) => errno == ENOENT
        ? new DirectoryNotFoundException($"the directory of {path} does not exist")
        : new IOException($"cannot create a file for {path}: {NativeError.Describe(errno)}");

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, ReadOnlySpan<byte> buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int linkat(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string oldpath, string newpath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rename(string oldpath, string newpath);
}
