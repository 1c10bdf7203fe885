using System.Runtime.CompilerServices;
using ReplicaSync.Storage;

namespace ReplicaSync.Vacuum;

/// <summary>Lists every object of a table for vacuum, including the temp files a crashed local writer left.</summary>
public static class VacuumListing
{
    /// <summary>
    /// All objects of <paramref name="store"/>. <see cref="LocalObjectStore.ListAsync"/> hides its own in-flight
    /// temp files (so that sync never mistakes them for data); vacuum must see abandoned ones, and finds them by
    /// walking the local root. Other backends write objects atomically and leave no such files.
    /// </summary>
    public static async IAsyncEnumerable<ObjectInfo> ListAsync(IObjectStore store, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var info in store.ListAsync("", ct))
            yield return info;
        if (store is not LocalObjectStore local || !Directory.Exists(local.Location))
            yield break;
        foreach (var file in new DirectoryInfo(local.Location).EnumerateFiles("*" + VacuumPaths.TempMarker + "*", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(local.Location, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (VacuumPaths.IsTempFile(key))
                yield return new ObjectInfo(key, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
        }
    }
}
