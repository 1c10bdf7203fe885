using System.Collections.Concurrent;
using ReplicaSync.Storage;

namespace ReplicaSync.Vacuum;

/// <summary>Deletes a plan's files through the store, several at a time.</summary>
public static class VacuumExecutor
{
    /// <summary>
    /// Deletes every file of <paramref name="plan"/> and returns what was deleted. Each delete stands alone, so a
    /// cancelled or failed run leaves only files the plan had already judged safe to delete, and a rerun finishes.
    /// </summary>
    public static async Task<VacuumSummary> ExecuteAsync(IObjectStore store, VacuumPlan plan, int maxParallelism, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        var done = new ConcurrentBag<PlannedDeletion>();
        await Parallel.ForEachAsync(plan.Deletions, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism, CancellationToken = ct },
            async (deletion, token) =>
            {
                await store.DeleteAsync(deletion.Path, token);
                done.Add(deletion);
            });
        return VacuumSummary.Of(done);
    }
}
