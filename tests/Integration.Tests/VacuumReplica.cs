using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// A provider table grown through appends, deletes, an overwrite and compactions, replicated into a temp directory,
/// plus the debris a crashed run leaves (old orphan and temp files) and files vacuum must never touch.
/// </summary>
internal sealed class VacuumReplica : IAsyncDisposable
{
    public const string Table = "grown";
    public const string OldOrphan = "part=a/part-99999-orphan-left-by-a-crash.c000.snappy.parquet";
    public const string FreshOrphan = "part=a/part-99998-being-copied-right-now.c000.snappy.parquet";
    public const string HiddenFile = ".part-00000.c000.snappy.parquet.crc";
    public const string LogNote = "_delta_log/notes.txt";
    public static readonly string DataTemp = $"part=b/.part-77777.c000.snappy.parquet.replicasync-tmp-{Guid.NewGuid():N}";
    public static readonly string LogTemp = $"_delta_log/.00000000000000000011.json.replicasync-tmp-{Guid.NewGuid():N}";

    private VacuumReplica(TempDirectory provider, TempDirectory replica, SharingFixture sharing)
    {
        Provider = provider;
        Replica = replica;
        Sharing = sharing;
    }

    public TempDirectory Provider { get; }
    public TempDirectory Replica { get; }
    public SharingFixture Sharing { get; }
    public string QualifiedName => Sharing.Address(Table).QualifiedName;

    /// <summary>Files vacuum deletes as unreferenced (older than the default one-hour grace period).</summary>
    public static IReadOnlyList<string> Debris => [OldOrphan, DataTemp, LogTemp];

    /// <summary>Files vacuum keeps although no commit references them.</summary>
    public static IReadOnlyList<string> Keepers => [FreshOrphan, HiddenFile, LogNote];

    public static async Task<VacuumReplica> CreateAsync()
    {
        var provider = new TempDirectory("vacuum-provider");
        var replica = new TempDirectory("vacuum-replica");
        var table = new ProviderTableBuilder(provider.Path);
        await table.CreateAsync("a", "b", null);       // 0
        await table.AppendAsync("a", "a/b%c", "b");     // 1
        await table.DeleteAsync(2);                    // 2
        await table.OverwriteAsync("a", "c");          // 3
        await table.AppendAsync("a", "a", "c", null);  // 4
        await table.OptimizeAsync("a");                // 5
        await table.AppendAsync("b");                  // 6
        await table.DeleteAsync(1);                    // 7
        await table.OptimizeAsync("c");                // 8
        await table.AppendAsync("a", "c");             // 9
        await table.DeleteAsync(2);                    // 10
        var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [Table] = provider.Path });
        var report = await ReplicationTests.SyncAsync(sharing, Table, replica.Path);
        Assert.True(report.Reached);

        var old = DateTime.UtcNow.AddHours(-3);
        foreach (var key in Debris.Append(HiddenFile).Append(LogNote))
            Write(replica, key, old);
        Write(replica, FreshOrphan, DateTime.UtcNow);
        return new VacuumReplica(provider, replica, sharing);
    }

    public Task<Snapshot> SnapshotAsync() => LoadAsync(Replica.Path);

    /// <summary>Storage keys of every file the latest snapshot references: data files and their DV files.</summary>
    public static async Task<SortedSet<string>> LiveKeysAsync(string root)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in (await LoadAsync(root)).Files.Values)
        {
            keys.Add(ReplicaPaths.FromLogPath(file.Path));
            if (file.DeletionVector is { StorageType: "u" } dv)
                keys.Add(DeletionVectorPath.RelativeFile(dv.PathOrInlineDv));
        }
        return keys;
    }

    /// <summary>Every file under <paramref name="root"/> as a '/'-separated relative key.</summary>
    public static SortedSet<string> Files(string root) =>
        new(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')), StringComparer.Ordinal);

    public async Task AssertLatestAlignedAsync()
    {
        var latest = (await SnapshotAsync()).Version;
        await ReplicaComparer.AssertAlignedAsync(Provider.Path, Replica.Path, QualifiedName, from: latest);
    }

    public async ValueTask DisposeAsync()
    {
        await Sharing.DisposeAsync();
        Replica.Dispose();
        Provider.Dispose();
    }

    private static async Task<Snapshot> LoadAsync(string root) =>
        (await new DeltaLog(new LocalObjectStore(root)).LoadSnapshotAsync(null, default))!;

    private static void Write(TempDirectory dir, string key, DateTime mtime)
    {
        var path = dir.Combine(key.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, mtime);
    }
}
