using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.Vacuum;

/// <summary>Vacuum of one table: plan from a listing and the log, then delete the plan's files.</summary>
public sealed class TableVacuum(IObjectStore store)
{
    /// <summary>
    /// Lists the table, then reads the log, then plans. Listing first matters: a file written after the listing is
    /// not seen at all, and a listed file committed before the log is read is seen as referenced. Only a commit
    /// written after the log read can make a listed file look unreferenced; the grace period (the file was just
    /// written) and <see cref="ExecuteAsync"/>'s version check narrow that window.
    /// </summary>
    public async Task<VacuumPlan> PlanAsync(VacuumOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var listing = new List<ObjectInfo>();
        await foreach (var info in store.ListAsync("", ct))
            listing.Add(info);
        var facts = await TableFactsReader.LoadAsync(new DeltaLog(store), ct);
        return VacuumPlanner.Plan(facts, listing, now, options);
    }

    /// <summary>Deletes the plan's files, after checking that no commit was written since it was made.</summary>
    public async Task<VacuumSummary> ExecuteAsync(VacuumPlan plan, VacuumOptions options, CancellationToken ct)
    {
        var latest = await new DeltaLog(store).LatestVersionAsync(ct);
        if (latest != plan.Version)
            throw new VacuumException($"{store.Location}: the table moved from version {plan.Version} to {latest} while vacuum was planning; " +
                                      "nothing was deleted, run it again");
        return await VacuumExecutor.ExecuteAsync(store, plan, options.MaxParallelDeletes, ct);
    }
}
