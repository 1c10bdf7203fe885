using System.Globalization;
using ReplicaSync.Storage;

namespace ReplicaSync.Delta;

/// <summary>What a listing of <c>_delta_log</c> holds: commit files by version and complete classic checkpoints by version.</summary>
internal sealed class LogListing
{
    public SortedDictionary<long, ObjectInfo> Commits { get; } = [];
    public SortedDictionary<long, CheckpointInfo> Checkpoints { get; } = [];

    public bool IsEmpty => Commits.Count == 0 && Checkpoints.Count == 0;

    public long LatestVersion => Math.Max(Commits.Count == 0 ? -1 : Commits.Keys.Last(), Checkpoints.Count == 0 ? -1 : Checkpoints.Keys.Last());

    /// <summary>Lists the log, all of it or only the keys after <paramref name="startAfter"/>.</summary>
    public static Task<LogListing> ReadAsync(IObjectStore store, CancellationToken ct, string? startAfter = null) =>
        FromAsync(startAfter is null ? store.ListAsync(LogFileNames.LogDir, ct) : store.ListAsync(LogFileNames.LogDir, startAfter, ct));

    /// <summary>
    /// Lists the log's versions only: its commits' <see cref="ObjectInfo"/> carry the key, not the size or time, which
    /// a store may have to ask each file for.
    /// </summary>
    public static Task<LogListing> ReadVersionsAsync(IObjectStore store, CancellationToken ct) =>
        FromAsync(KeysOnly(store.ListKeysAsync(LogFileNames.LogDir, ct), ct));

    private static async IAsyncEnumerable<ObjectInfo> KeysOnly(IAsyncEnumerable<string> keys, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var key in keys.WithCancellation(ct))
            yield return new ObjectInfo(key, 0, DateTimeOffset.UnixEpoch);
    }

    private static async Task<LogListing> FromAsync(IAsyncEnumerable<ObjectInfo> objects)
    {
        var listing = new LogListing();
        var parts = new Dictionary<(long Version, int Of), SortedDictionary<int, string>>();
        await foreach (var info in objects)
        {
            if (LogFileNames.ParseCommitVersion(info.Path) is { } version)
            {
                listing.Commits[version] = info;
                continue;
            }
            switch (LogFileNames.ParseCheckpoint(info.Path))
            {
                case ({ } v, null, null):
                    listing.Checkpoints[v] = new CheckpointInfo(v, [info.Path]);
                    break;
                case ({ } v, { } part, { } of):
                    if (!parts.TryGetValue((v, of), out var set))
                        parts[(v, of)] = set = [];
                    set[part] = info.Path;
                    break;
            }
        }
        // A multi-part checkpoint counts only when every part is there; a single file wins over parts of the same version.
        foreach (var ((version, of), set) in parts)
        {
            if (set.Count == of && set.Keys.First() == 1 && set.Keys.Last() == of && !listing.Checkpoints.ContainsKey(version))
                listing.Checkpoints[version] = new CheckpointInfo(version, [.. set.Values]);
        }
        return listing;
    }
}
