using System.Buffers;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ReplicaSync.Delta;

/// <summary>
/// The live files of a <see cref="Snapshot"/>, packed: each file is a 32-byte entry without references (so the GC
/// never scans them) in arrays of 1,024, its path UTF-8 (<see cref="PackedPath"/>) in a <see cref="PathArena"/>, its
/// partition values an index into the snapshot's pool, and the rare deletion vector in a side map. Two hash indexes
/// find a file by key and by file name. A <see cref="LiveFile"/> is made when one is asked for. 127 bytes per file with
/// 85-character Spark paths, against 290 for a dictionary of file objects and strings (benchmarks/README.md, Memory).
/// </summary>
public sealed class LiveFiles : IReadOnlyDictionary<FileKey, LiveFile>
{
    private const int EntriesPerChunk = 1024;
    private const int Free = -1;

    private readonly PartitionValuesPool _partitions;
    private readonly List<Entry[]> _entries;
    private readonly Dictionary<int, (DeletionVectorDescriptor Vector, string Id)> _deletionVectors;
    private PathArena _paths;
    private int[] _byKey;
    private int[] _byName;
    private int _slots;
    private int _freeSlot = -1;
    private long _pathBytes;
    private int _changes;

    internal LiveFiles(PartitionValuesPool partitions)
    {
        _partitions = partitions;
        _entries = [];
        _deletionVectors = [];
        _paths = new PathArena();
        _byKey = new int[16];
        _byName = new int[16];
    }

    // The copy uses the partition pool of the snapshot copy, which holds the same maps at the same indexes.
    internal LiveFiles(LiveFiles source, PartitionValuesPool partitions)
    {
        _partitions = partitions;
        _entries = source._entries.Select(chunk => (Entry[])chunk.Clone()).ToList();
        _deletionVectors = new(source._deletionVectors);
        _paths = source._paths.Clone();
        _byKey = (int[])source._byKey.Clone();
        _byName = (int[])source._byName.Clone();
        _slots = source._slots;
        _freeSlot = source._freeSlot;
        _pathBytes = source._pathBytes;
        Count = source.Count;
    }

    public int Count { get; private set; }

    /// <summary>Bytes the paths' arena holds, live or left behind by removed files.</summary>
    internal long PathBytesHeld => _paths.Capacity;

    public LiveFile this[FileKey key] => TryGetValue(key, out var file) ? file : throw new KeyNotFoundException($"no live file {key.Path}");

    public IEnumerable<FileKey> Keys => Slots().Select(slot => KeyAt(slot));

    public IEnumerable<LiveFile> Values => Slots().Select(FileAt);

    public bool ContainsKey(FileKey key) => Find(key) >= 0;

    public bool TryGetValue(FileKey key, [MaybeNullWhen(false)] out LiveFile value)
    {
        var slot = Find(key);
        value = slot >= 0 ? FileAt(slot) : null;
        return value is not null;
    }

    /// <summary>The live file named <paramref name="fileName"/> (a path's last segment); any one of them if several are.</summary>
    public LiveFile? FindByName(string fileName)
    {
        using var name = new PathBytes(fileName, stackalloc byte[512]);
        var hash = HashOf(name.Utf8, null);
        Span<byte> scratch = stackalloc byte[512];
        for (var slot = _byName[hash & (_byName.Length - 1)] - 1; slot >= 0; slot = At(slot).NextByName - 1)
        {
            using var path = new PathBytes(PathOf(At(slot)), scratch);
            if (NameOf(path.Utf8).SequenceEqual(name.Utf8))
                return FileAt(slot);
        }
        return null;
    }

    public IEnumerator<KeyValuePair<FileKey, LiveFile>> GetEnumerator()
    {
        foreach (var slot in Slots())
        {
            var file = FileAt(slot);
            yield return new(file.Key, file);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds the file unless its key is live already; returns whether it was added.</summary>
    internal bool TryAdd(AddFile add) => Put(add, replace: false, out _);

    /// <summary>Adds the file, or replaces the live file of the same key; <paramref name="replacedSize"/> is 0 when none was live.</summary>
    internal void Set(AddFile add, out long replacedSize) => Put(add, replace: true, out replacedSize);

    /// <summary>Removes the live file of <paramref name="key"/>; <paramref name="size"/> is its size.</summary>
    internal bool Remove(FileKey key, out long size)
    {
        using var path = new PathBytes(key.Path, stackalloc byte[512]);
        var hash = HashOf(path.Packed, key.DeletionVectorId);
        var slot = Find(path.Packed, key.DeletionVectorId, hash);
        if (slot < 0)
        {
            size = 0;
            return false;
        }
        Unlink(ref _byKey[hash & (_byKey.Length - 1)], slot, byName: false);
        Unlink(ref _byName[HashOf(NameOf(path.Utf8), null) & (_byName.Length - 1)], slot, byName: true);
        ref var entry = ref At(slot);
        size = entry.Size;
        _pathBytes -= PathOf(entry).Length;
        _deletionVectors.Remove(slot);
        entry = new Entry { Partition = Free, Next = _freeSlot + 1 };
        _freeSlot = slot;
        Count--;
        _changes++;
        CompactPathsIfSparse();
        return true;
    }

    private bool Put(AddFile add, bool replace, out long replacedSize)
    {
        var dvId = add.DeletionVector?.UniqueId;
        using var path = new PathBytes(add.Path, stackalloc byte[512]);
        var hash = HashOf(path.Packed, dvId);
        var slot = Find(path.Packed, dvId, hash);
        replacedSize = slot >= 0 ? At(slot).Size : 0;
        if (slot >= 0 && !replace)
            return false;
        if (slot < 0)
        {
            slot = NewSlot();
            var nameHash = HashOf(NameOf(path.Utf8), null);
            ref var bucket = ref _byKey[hash & (_byKey.Length - 1)];
            ref var nameBucket = ref _byName[nameHash & (_byName.Length - 1)];
            At(slot) = new Entry
            {
                PathAt = _paths.Append(path.Packed), Next = bucket, NextByName = nameBucket,
            };
            bucket = slot + 1;
            nameBucket = slot + 1;
            _pathBytes += path.Packed.Length;
            Count++;
        }
        ref var entry = ref At(slot);
        entry.Partition = _partitions.IndexOf(add.PartitionValues);
        entry.Size = add.Size;
        entry.ModificationTime = add.ModificationTime;
        if (add.DeletionVector is { } vector)
            _deletionVectors[slot] = (vector, dvId!);
        _changes++;
        if (Count > _byKey.Length)
            Rehash(_byKey.Length * 2);
        return true;
    }

    private int Find(FileKey key)
    {
        using var path = new PathBytes(key.Path, stackalloc byte[512]);
        return Find(path.Packed, key.DeletionVectorId, HashOf(path.Packed, key.DeletionVectorId));
    }

    private int Find(ReadOnlySpan<byte> path, string? dvId, int hash)
    {
        for (var slot = _byKey[hash & (_byKey.Length - 1)] - 1; slot >= 0; slot = At(slot).Next - 1)
        {
            ref var entry = ref At(slot);
            if (Matches(slot, entry, path, dvId))
                return slot;
        }
        return -1;
    }

    private bool Matches(int slot, in Entry entry, ReadOnlySpan<byte> path, string? dvId) =>
        PathOf(entry).SequenceEqual(path) && string.Equals(DvIdAt(slot), dvId, StringComparison.Ordinal);

    private string? DvIdAt(int slot) => _deletionVectors.TryGetValue(slot, out var vector) ? vector.Id : null;

    // Takes the slot out of the chain that starts at bucket: the key chain (Next) or the name chain (NextByName).
    private void Unlink(ref int bucket, int slot, bool byName)
    {
        ref var link = ref bucket;
        while (link > 0 && link - 1 != slot)
            link = ref byName ? ref At(link - 1).NextByName : ref At(link - 1).Next;
        if (link > 0)
            link = byName ? At(slot).NextByName : At(slot).Next;
    }

    private int NewSlot()
    {
        if (_freeSlot >= 0)
        {
            var slot = _freeSlot;
            _freeSlot = At(slot).Next - 1;
            return slot;
        }
        if (_slots == _entries.Count * EntriesPerChunk)
            _entries.Add(new Entry[EntriesPerChunk]);
        return _slots++;
    }

    // Both indexes keep one bucket per live file at most. Hashes are not stored (8 bytes a file): chains are short, so a
    // lookup compares paths, and a rehash computes them again.
    private void Rehash(int buckets)
    {
        _byKey = new int[buckets];
        _byName = new int[buckets];
        Span<byte> scratch = stackalloc byte[512];
        foreach (var slot in Slots())
        {
            ref var entry = ref At(slot);
            using var path = new PathBytes(PathOf(entry), scratch);
            ref var bucket = ref _byKey[HashOf(path.Packed, DvIdAt(slot)) & (buckets - 1)];
            entry.Next = bucket;
            bucket = slot + 1;
            ref var nameBucket = ref _byName[HashOf(NameOf(path.Utf8), null) & (buckets - 1)];
            entry.NextByName = nameBucket;
            nameBucket = slot + 1;
        }
    }

    // Removed files leave their path bytes behind; once they are most of the arena, live paths move to a fresh one.
    private void CompactPathsIfSparse()
    {
        if (_paths.Capacity < 2 * _pathBytes + (1 << 20))
            return;
        var fresh = new PathArena();
        foreach (var slot in Slots())
        {
            ref var entry = ref At(slot);
            entry.PathAt = fresh.Append(PathOf(entry));
        }
        _paths = fresh;
    }

    private IEnumerable<int> Slots()
    {
        var changes = _changes;
        for (var slot = 0; slot < _slots; slot++)
        {
            if (At(slot).Partition == Free)
                continue;
            yield return slot;
            if (changes != _changes)
                throw new InvalidOperationException("the live files changed while they were enumerated");
        }
    }

    private ref Entry At(int slot) => ref _entries[slot / EntriesPerChunk][slot % EntriesPerChunk];

    private ReadOnlySpan<byte> PathOf(in Entry entry) => _paths.Read(entry.PathAt);

    private FileKey KeyAt(int slot) =>
        new(PathString(At(slot)), DvIdAt(slot));

    private LiveFile FileAt(int slot)
    {
        ref var entry = ref At(slot);
        return new LiveFile(PathString(entry), _partitions[entry.Partition], entry.Size, entry.ModificationTime,
            _deletionVectors.TryGetValue(slot, out var vector) ? vector.Vector : null);
    }

    private string PathString(in Entry entry)
    {
        using var path = new PathBytes(PathOf(entry), stackalloc byte[512]);
        return Encoding.UTF8.GetString(path.Utf8);
    }

    private static ReadOnlySpan<byte> NameOf(ReadOnlySpan<byte> path) => path[(path.LastIndexOf((byte)'/') + 1)..];

    // HashCode is seeded per process, so a provider cannot choose paths that all land in one chain.
    private static int HashOf(ReadOnlySpan<byte> bytes, string? dvId)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        hash.Add(dvId);
        return hash.ToHashCode();
    }

    private struct Entry
    {
        public uint PathAt;
        public int Next;
        public int NextByName;
        public int Partition;
        public long Size;
        public long ModificationTime;
    }

    /// <summary>
    /// A path as UTF-8 and packed (<see cref="PackedPath"/>), from a string or from the packed bytes stored; in the
    /// caller's stack buffer when both fit, else in a rented array.
    /// </summary>
    private ref struct PathBytes
    {
        private readonly byte[]? _rented;

        public PathBytes(string path, Span<byte> stack)
        {
            var length = Encoding.UTF8.GetByteCount(path);
            var buffer = Buffer(2 * length, stack, out _rented);
            Utf8 = buffer[..Encoding.UTF8.GetBytes(path, buffer)];
            Packed = buffer.Slice(length, PackedPath.Pack(Utf8, buffer[length..]));
        }

        public PathBytes(ReadOnlySpan<byte> packed, Span<byte> stack)
        {
            var buffer = Buffer(PackedPath.UnpackedLength(packed), stack, out _rented);
            Utf8 = buffer[..PackedPath.Unpack(packed, buffer)];
            Packed = packed;
        }

        public ReadOnlySpan<byte> Utf8 { get; }
        public ReadOnlySpan<byte> Packed { get; }

        public readonly void Dispose()
        {
            if (_rented is not null)
                ArrayPool<byte>.Shared.Return(_rented);
        }

        private static Span<byte> Buffer(int length, Span<byte> stack, out byte[]? rented)
        {
            rented = length <= stack.Length ? null : ArrayPool<byte>.Shared.Rent(length);
            return rented ?? stack;
        }
    }
}
