using System.CommandLine;
using System.Numerics;
using ReplicaSync.Daemon.Progress;
using ReplicaSync.Sharing;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.Sync.Checkpointing;
using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Daemon.Cli;

/// <summary><c>replicasync sync</c>: one catch-up run of one table into a target.</summary>
public static class SyncCommand
{
    public static Command Create()
    {
        var table = new Option<string>("--table") { Description = "<profile-file>#<share>.<schema>.<table>", Required = true };
        var target = new Option<string>("--target") { Description = "replica location (a directory)", Required = true };
        var toVersion = NotNegative(new Option<long?>("--to-version") { Description = "stop at this provider version (default: latest)" });
        var from = new Option<string>("--from")
        {
            Description = "where a new replica starts: latest (default: the current snapshot's files only), 0 (full history: every file that " +
                "ever existed), a version, or auto (full history when shared, else latest)",
        };
        var defaults = new SyncOptions();
        var maxFiles = Positive(new Option<int?>("--max-files")
        {
            Description = $"files copied at once (default: {defaults.ConcurrentFilesAtStart} at first, more while latency dominates, up to {defaults.MaxConcurrentFiles})",
        });
        var streams = Positive(new Option<int?>("--streams-per-file") { Description = $"parallel ranged reads of one large file (default {defaults.StreamsPerFile})" });
        var partSize = Positive(new Option<int?>("--part-size-mib") { Description = $"MiB per ranged read and target part (default {defaults.PartSize >> 20})" });
        var pageSize = Positive(new Option<int?>("--page-size")
        {
            Description = $"files per page of the provider's snapshot and change queries (maxFiles; default {defaults.PageSize})",
        });
        var filesPerRequest = Positive(new Option<int?>("--files-per-request")
        {
            Description = $"file lines one change-feed request should hold; fewer versions are asked for when they carry more (default {defaults.FilesPerRequest})",
        });
        var bandwidth = Positive(new Option<long?>("--bandwidth") { Description = "cap on bytes per second read from the provider (default: none)" });
        var budget = Positive(new Option<long?>("--byte-budget") { Description = "most bytes this run may copy; it stops at a version boundary (default: none)" });
        var checkpointEvery = NotNegative(new Option<int?>("--checkpoint-every")
        {
            Description = $"fewest commits between two checkpoints; 0 writes none (default {defaults.Checkpoints.Every})",
        });
        var checkpointInterval = NotNegative(new Option<double?>("--checkpoint-interval")
        {
            Description = $"least seconds between two checkpoints during the run; one follows at its end (default {defaults.Checkpoints.Interval.TotalSeconds})",
        });
        var command = new Command("sync", "Replicate new provider versions into the target, one commit per version.")
        {
            table, target, toVersion, from, maxFiles, streams, partSize, pageSize, filesPerRequest, bandwidth, budget, checkpointEvery, checkpointInterval,
        };
        command.SetAction((result, cancel) => CliErrors.Guard(cancel, async ct =>
        {
            var address = TableAddress.Parse(result.GetValue(table)!);
            var profile = SharingProfile.Load(address.ProfilePath);
            var store = ObjectStores.Open(result.GetValue(target)!);
            using var client = new SharingClient(profile);
            using var files = FileHttp.CreateClient();
            var options = new SyncOptions
            {
                From = result.GetValue(from) is { } f ? StartPoint.Parse(f) : StartPoint.Latest,
                ConcurrentFilesAtStart = result.GetValue(maxFiles) ?? defaults.ConcurrentFilesAtStart,
                MaxConcurrentFiles = result.GetValue(maxFiles) ?? defaults.MaxConcurrentFiles,
                StreamsPerFile = result.GetValue(streams) ?? defaults.StreamsPerFile,
                PartSize = result.GetValue(partSize) is { } mib ? (long)mib << 20 : defaults.PartSize,
                PageSize = result.GetValue(pageSize) ?? defaults.PageSize,
                FilesPerRequest = result.GetValue(filesPerRequest) ?? defaults.FilesPerRequest,
                Bandwidth = result.GetValue(bandwidth) is { } rate ? new BandwidthLimiter(rate) : null,
                ByteBudget = result.GetValue(budget),
                Checkpoints = new CheckpointPolicy
                {
                    Every = result.GetValue(checkpointEvery) ?? defaults.Checkpoints.Every,
                    Interval = result.GetValue(checkpointInterval) is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.Checkpoints.Interval,
                },
            };
            // On a terminal: progress bars (bytes, rate, ETA); otherwise one line per version, as logs and scripts expect.
            var report = Terminal.Interactive
                ? await TransferDisplay.RunAsync(address.QualifiedName, observer =>
                    new SyncEngine(client, store, files, options with { Observer = observer }).RunAsync(address, result.GetValue(toVersion), null, ct))
                : await new SyncEngine(client, store, files, options with { Observer = new StartCostLine(Console.Out, address.QualifiedName) }).RunAsync(address, result.GetValue(toVersion),
                    new SynchronousProgress<VersionReport>(r => Console.WriteLine(Describe(r))), ct);
            if (report.Began is { } began)
                Console.WriteLine($"{address.QualifiedName}: new replica, {began}");
            Console.WriteLine(report.Versions.Count == 0
                ? $"{address.QualifiedName}: replica already at version {report.EndVersion} (provider at {report.ProviderVersion})"
                : $"{address.QualifiedName}: replica at version {report.EndVersion} (provider at {report.ProviderVersion}); " +
                  $"{report.Versions.Count} versions, {report.FilesCopied} files, {Bytes.Format(report.BytesCopied)} copied");
            if (report.StoppedBecause is { } stopped)
                Console.WriteLine($"{address.QualifiedName}: stopped early: {stopped}");
            return report.Reached ? 0 : 1;
        }));
        return command;
    }

    private static Option<T?> Positive<T>(Option<T?> option) where T : struct, INumber<T> =>
        Checked(option, value => value > T.Zero, "more than 0");

    private static Option<T?> NotNegative<T>(Option<T?> option) where T : struct, INumber<T> =>
        Checked(option, value => value >= T.Zero, "0 or more");

    private static Option<T?> Checked<T>(Option<T?> option, Func<T, bool> valid, string rule) where T : struct, INumber<T>
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<T?>() is { } value && !valid(value))
                r.AddError($"{option.Name} must be {rule}");
        });
        return option;
    }

    private static string Describe(VersionReport r)
    {
        var notes = (r.MetadataChanged ? " [metadata]" : "") + (r.Reconciled ? " [reconciled with provider snapshot]" : "") +
            (r.StepFrom is { } from ? $" [snapshot step from {from}: the provider shares no history]" : "") +
            (r.ChangeFiles > 0 ? $" [{r.ChangeFiles} change data files]" : "") + (r.ChangeDataRefused ? " [change data refused by the provider]" : "");
        return PlainTransferObserver.Describe(r) + notes;
    }
}
