using System.CommandLine;
using System.CommandLine.Parsing;
using ReplicaSync.Storage;
using ReplicaSync.Vacuum;

namespace ReplicaSync.Daemon.Cli;

/// <summary><c>replicasync vacuum</c>: deletes files the replica's log no longer needs.</summary>
public static class VacuumCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "replica location (a directory)", Required = true };
        var retainHours = new Option<double?>("--retain-hours")
        {
            Description = "keep removed files this many hours (default: the table's delta.deletedFileRetentionDuration, else 168)",
        };
        var graceHours = new Option<double>("--grace-hours")
        {
            Description = "delete files no commit references only when older than this many hours",
            DefaultValueFactory = _ => 1,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "list what would be deleted and delete nothing" };
        retainHours.Validators.Add(r => RequireHours(r, r.GetValueOrDefault<double?>(), "--retain-hours"));
        graceHours.Validators.Add(r => RequireHours(r, r.GetValueOrDefault<double>(), "--grace-hours"));
        var command = new Command("vacuum", "Delete files removed longer ago than the retention, and files left by crashed runs.")
        {
            target, retainHours, graceHours, dryRun,
        };
        command.SetAction((result, cancel) => CliErrors.Guard(cancel, async ct =>
        {
            var options = new VacuumOptions
            {
                Retention = result.GetValue(retainHours) is { } hours ? TimeSpan.FromHours(hours) : null,
                GracePeriod = TimeSpan.FromHours(result.GetValue(graceHours)),
            };
            var vacuum = new TableVacuum(ObjectStores.Open(result.GetValue(target)!));
            try
            {
                var plan = await vacuum.PlanAsync(options, DateTimeOffset.UtcNow, ct);
                Describe(plan);
                if (result.GetValue(dryRun))
                {
                    foreach (var d in plan.Deletions)
                        Console.WriteLine($"would delete: {d.Path} ({d.Size} B, {d.ReasonText})");
                    var planned = plan.Summary;
                    Console.WriteLine($"dry run: would delete {planned.Files} files, freeing {Bytes.Format(planned.Bytes)} ({Breakdown(planned)}); nothing was deleted");
                    return 0;
                }
                var done = await vacuum.ExecuteAsync(plan, options, ct);
                Console.WriteLine($"deleted {done.Files} files, freed {Bytes.Format(done.Bytes)} ({Breakdown(done)})");
                return 0;
            }
            catch (VacuumException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        }));
        return command;
    }

    private static void RequireHours(OptionResult result, double? hours, string name)
    {
        if (hours is { } h && (h < 0 || !double.IsFinite(h) || h > TimeSpan.MaxValue.TotalHours / 2))
            result.AddError($"{name} must be a number of hours, zero or more");
    }

    private static void Describe(VacuumPlan plan)
    {
        Console.WriteLine($"table version {plan.Version}; retention {RetentionPolicy.Hours(plan.Retention.Effective)} ({plan.Retention.Source}): " +
                          $"files removed before {plan.TombstoneCutoff:u} go; unreferenced files older than {plan.UnreferencedCutoff:u} go");
        foreach (var warning in plan.Warnings)
            Console.Error.WriteLine($"warning: {warning}");
        foreach (var path in plan.AbsolutePathsKept)
            Console.WriteLine($"kept (absolute path in the log, never deleted): {path}");
    }

    private static string Breakdown(VacuumSummary summary) =>
        string.Join("; ", summary.ByReason.Select(r => $"{PlannedDeletion.Describe(r.Key)}: {r.Value.Files} files, {Bytes.Format(r.Value.Bytes)}"));
}
