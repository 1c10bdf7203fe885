using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ReplicaSync.Storage;

/// <summary>
/// A directory on local disk. A write fills a file that has no name yet (<see cref="LocalTempFile"/>: on Linux an
/// unnamed file in the target's directory, elsewhere a hidden temp file), fsyncs it, and then links it to its name (a
/// file already there is replaced by a rename); put-if-absent links it, which fails instead of replacing a file. So a
/// reader never sees a partial file, and a failed or killed write leaves none. Deferred writes
/// (<see cref="IBatchDurability"/>) skip both fsyncs and are made durable together by one syncfs. Per file, a write
/// costs an open (no advisory lock), the writes, a link and a close: directories already made are remembered, and
/// the size written is counted instead of asked for.
/// </summary>
public sealed partial class LocalObjectStore : IObjectStore, IMultipartWrites, IBatchDurability
{
    /// <summary>Marks a temp file a write is filling; one left behind by a killed run is debris for vacuum.</summary>
    public const string TempMarker = ".replicasync-tmp-";
    /// <summary>Big enough for few write calls, small enough to stay in the CPU cache between receive and write.</summary>
    internal const int CopyBufferSize = 128 << 10;
    private readonly string _root;
    private readonly string _rootPrefix;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _directories = new(StringComparer.Ordinal);
    private readonly FileSystemSync _sync;
    private volatile bool _unnamedFiles;

    public LocalObjectStore(string root) : this(root, unnamedFiles: true)
    {
    }

    /// <summary>A store that writes only named temp files when <paramref name="unnamedFiles"/> is false (tests of that way).</summary>
    internal LocalObjectStore(string root, bool unnamedFiles)
    {
        _unnamedFiles = unnamedFiles && LocalTempFile.UnnamedSupported;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _rootPrefix = _root + Path.DirectorySeparatorChar;
        _sync = new FileSystemSync(_root);
    }

    public string Location => _root;

    /// <summary>
    /// Whether writes fill unnamed files (Linux <c>O_TMPFILE</c>), so a failed or killed write leaves no temp file; false
    /// elsewhere, and once the file system refused one.
    /// </summary>
    public bool UsesUnnamedFiles => _unnamedFiles;

    /// <summary>
    /// The absolute file path of a key, guaranteed to be inside the root: a valid key has no empty, '.' or '..' segment
    /// and no backslash, so appending it to the root is already the normalised path.
    /// </summary>
    public string FullPath(string path) => _rootPrefix + ObjectPath.Validate(path);

    public Task<ObjectInfo?> StatAsync(string path, CancellationToken ct)
    {
        var info = new FileInfo(FullPath(path));
        return Task.FromResult(info.Exists ? ToInfo(path, info) : null);
    }

    public Task<Stream> OpenReadAsync(string path, ByteRange? range, CancellationToken ct)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(FullPath(path), new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ObjectNotFoundException(path);
        }
        if (range is not { } r)
            return Task.FromResult<Stream>(stream);
        stream.Seek(r.Offset, SeekOrigin.Begin);
        var length = r.Length ?? Math.Max(0, stream.Length - r.Offset);
        return Task.FromResult<Stream>(new BoundedStream(stream, length));
    }

    public Task<long> WriteAsync(string path, Stream content, CancellationToken ct) => WriteAsync(path, content, durable: true, ct);

    public async Task<long> WriteDeferredAsync(string path, Stream content, CancellationToken ct)
    {
        if (!FileSystemSync.Supported)
            return await WriteAsync(path, content, durable: true, ct);
        var written = await WriteAsync(path, content, durable: false, ct);
        _sync.Written();
        return written;
    }

    public Task MakeDurableAsync(CancellationToken ct) => FileSystemSync.Supported ? _sync.SyncAsync(ct) : Task.CompletedTask;

    private async Task<long> WriteAsync(string path, Stream content, bool durable, CancellationToken ct)
    {
        var target = FullPath(path);
        using var file = CreateFile(target);
        var length = await CopyFilledAsync(content, file, ct);
        if (durable)
            file.FlushToDisk();
        file.Publish();
        if (durable)
            FsyncDirectory(Path.GetDirectoryName(target)!);
        return length;
    }

    /// <summary>Any part size works on disk; parts are written at their offsets of one temp file.</summary>
    public long MinPartSize => 1;

    public int MaxParts => int.MaxValue;

    public Task<IMultipartWrite> BeginAsync(string path, long size, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var target = FullPath(path);
        MakeDirectory(target);
        return Task.FromResult<IMultipartWrite>(new LocalMultipartWrite(LocalTempFile.TempName(target), target, size));
    }

    /// <summary>Renames a complete, durable temp file into place (replacing any file there) and makes the rename durable.</summary>
    internal static void Publish(string temp, string target)
    {
        LocalTempFile.Rename(temp, target);
        FsyncDirectory(Path.GetDirectoryName(target)!);
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        using var source = new MemoryStream(content.ToArray(), writable: false);
        return await PutIfAbsentAsync(path, source, ct);
    }

    public async Task<bool> PutIfAbsentAsync(string path, Stream content, CancellationToken ct)
    {
        var target = FullPath(path);
        if (File.Exists(target))
            return false;
        content.Position = 0;
        using var file = CreateFile(target);
        await CopyFilledAsync(content, file, ct);
        file.FlushToDisk();
        if (!file.PublishIfAbsent())
            return false;
        FsyncDirectory(Path.GetDirectoryName(target)!);
        return true;
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct) => ListAsync(prefix, "", ct);

    /// <summary>
    /// Keys at or before <paramref name="startAfter"/> are dropped by name, before their file is asked for its size and
    /// time, and the rest are asked one by one as they are consumed: a log read from a late version, stopping early,
    /// costs a stat per file it reads, not per file in the log.
    /// </summary>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, string startAfter, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var (key, info) in SortedFiles(prefix, startAfter))
        {
            ct.ThrowIfCancellationRequested();
            if (ListedInfo(key, info) is { } listed)
                yield return listed;
            await Task.CompletedTask;
        }
    }

    /// <summary>Names only, from the directory entries: no file is asked for its size or time.</summary>
    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var (key, _) in SortedFiles(prefix, ""))
        {
            ct.ThrowIfCancellationRequested();
            yield return key;
            await Task.CompletedTask;
        }
    }

    /// <summary>
    /// The files under the prefix's directory with their keys, sorted. Read from the directory entries alone (their type
    /// too), so listing costs no call per file; a <see cref="FileInfo"/> asks for size and time only when read.
    /// </summary>
    private List<(string Key, FileInfo Info)> SortedFiles(string prefix, string startAfter)
    {
        var slash = prefix.LastIndexOf('/');
        var dirKey = slash < 0 ? "" : prefix[..slash];
        var dir = dirKey.Length == 0 ? _root : FullPath(dirKey);
        var keys = new List<(string Key, FileInfo Info)>();
        if (!Directory.Exists(dir))
            return keys;
        var files = new System.IO.Enumeration.FileSystemEnumerable<string>(dir, (ref entry) => entry.ToFullPath(), ListOptions)
        {
            ShouldIncludePredicate = (ref entry) => !entry.IsDirectory,
        };
        foreach (var full in files)
        {
            var key = Path.GetRelativePath(_root, full).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(key, startAfter) > 0)
                keys.Add((key, new FileInfo(full)));
        }
        keys.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return keys;
    }

    // Every file, hidden ones (a writer's temp files) too, in every subdirectory; an unreadable directory is an error, not skipped.
    private static readonly EnumerationOptions ListOptions = new() { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };

    public Task DeleteAsync(string path, CancellationToken ct)
    {
        var full = FullPath(path);
        // File.Delete ignores a missing file but not a missing directory; both mean the object is already gone.
        if (Directory.Exists(Path.GetDirectoryName(full)))
            File.Delete(full);
        return Task.CompletedTask;
    }

    /// <summary>A new file for <paramref name="target"/>; a directory remembered as made but since removed is made again.</summary>
    private LocalTempFile CreateFile(string target)
    {
        MakeDirectory(target);
        try
        {
            return NewFile(target);
        }
        catch (DirectoryNotFoundException)
        {
            var dir = Path.GetDirectoryName(target)!;
            _directories.TryRemove(dir, out _);
            Directory.CreateDirectory(dir);
            _directories.TryAdd(dir, 0);
            return NewFile(target);
        }
    }

    /// <summary>Unnamed until published where the file system allows it; the first refusal turns it off for this store.</summary>
    private LocalTempFile NewFile(string target)
    {
        var file = LocalTempFile.Create(target, _unnamedFiles);
        if (_unnamedFiles && !file.IsUnnamed)
            _unnamedFiles = false;
        return file;
    }

    /// <summary>Makes the directory of <paramref name="target"/> unless it was made before.</summary>
    private void MakeDirectory(string target)
    {
        var dir = Path.GetDirectoryName(target.AsSpan());
        if (_directories.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(dir))
            return;
        var made = dir.ToString();
        Directory.CreateDirectory(made);
        _directories.TryAdd(made, 0);
    }

    /// <summary>
    /// Copies with one pooled buffer, filled before each write: one large write instead of one per network read. The
    /// writes are synchronous: a write into the page cache takes microseconds, less than a hop to another thread.
    /// </summary>
    private static async Task<long> CopyFilledAsync(Stream content, LocalTempFile file, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long length = 0;
            int read;
            while ((read = await content.ReadAtLeastAsync(buffer, CopyBufferSize, throwOnEndOfStream: false, ct)) > 0)
            {
                file.Write(buffer.AsSpan(0, read));
                length += read;
            }
            return length;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ObjectInfo ToInfo(string key, FileInfo info) =>
        new(key, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));

    /// <summary>
    /// The listed file's size and time, or null when it vanished after the directory was read: a writer's temp file
    /// removed meanwhile is simply not there, as on an object store (readers list logs while a sync writes them).
    /// </summary>
    private static ObjectInfo? ListedInfo(string key, FileInfo info)
    {
        try
        {
            return ToInfo(key, info);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    internal static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Makes a rename or link in the directory durable (POSIX needs an fsync of the directory).</summary>
    private static void FsyncDirectory(string dir)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
        var fd = open(dir, 0);
        if (fd < 0)
            return;
        try { fsync(fd); } finally { close(fd); }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc")]
    private static partial int fsync(int fd);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
