namespace ReplicaSync.Memory;

/// <summary>Gives back the memory the garbage collector keeps committed beyond the live heap during a bulk phase.</summary>
/// <remarks>
/// In a bootstrap of a million files the server GC keeps 150-250 MB committed beyond a live heap of ~100 MB (its
/// allocation budget, re-grown after every collection), and no GC setting lowered that without slowing the run (see
/// benchmarks/README.md, the bootstrap's fifth pass). A compacting collection that decommits returns it in 17-62 ms.
/// Bulk phases call <see cref="Trim"/> every few thousand files or rows; it collects only when the slack exceeds both
/// <see cref="Bound"/> and the live heap, so each collection frees at least as much as it has to walk.
/// </remarks>
public static class HeapSlack
{
    /// <summary>Committed memory beyond the live heap that is left alone.</summary>
    public const long Bound = 128L << 20;

    /// <summary>Collects and decommits when the slack has passed the bound.</summary>
    public static void Trim()
    {
        var committed = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
        // The heap after the last full blocking collection: what was live then (0 before the first one).
        var live = GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
        if (Exceeds(committed, live))
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Whether memory committed beyond the live heap exceeds both <see cref="Bound"/> and the live heap.</summary>
    internal static bool Exceeds(long committed, long live) => committed - live > Math.Max(Bound, live);
}
