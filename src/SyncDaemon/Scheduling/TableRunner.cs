using System.Diagnostics;
using ReplicaSync.Daemon.Cluster;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Status;
using ReplicaSync.Daemon.Telemetry;
using ReplicaSync.Sharing;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Scheduling;

/// <summary>
/// Runs one table's catch-up: reads the profile afresh (tokens rotate), asks the provider's version, runs the
/// sync engine with an observer that feeds metrics and status, and records the outcome. It never throws: a failed
/// run is logged, counted and shown on <c>/status</c>, and the schedule tries again at the next fire time.
/// </summary>
public sealed partial class TableRunner(DaemonSettings settings, TargetStores stores, StatusStore status, SyncMetrics metrics, DrainSignal drain,
    NodeIdentity node, TimeProvider clock, ILogger<TableRunner> log) : IDisposable
{
    private readonly Dictionary<string, TableSettings> _tables = settings.Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
    private readonly HttpClient _files = FileHttp.CreateClient();
    private readonly Sharing.Auth.OAuthTokenCache _tokens = new();
    private readonly Sync.Copy.BandwidthLimiter? _bandwidth =
        settings.Copy.BandwidthBytesPerSecond is { } rate ? new Sync.Copy.BandwidthLimiter(rate) : null;

    public async Task RunAsync(string name, CancellationToken ct)
    {
        if (drain.IsDraining)
            return;
        if (!_tables.TryGetValue(name, out var table))
        {
            // A cluster's store can hold a table another node's configuration added; that node runs it.
            LogNotConfigured(log, name);
            return;
        }
        var started = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        status.Update(name, s => s with { Running = true, Node = node.Id, LastRun = new RunStatus { Start = started, Outcome = "running" } });
        using var activity = metrics.Source.StartActivity("sync table");
        activity?.SetTag("table", name);
        activity?.SetTag("source", table.Source.QualifiedName);
        LogStarted(log, name, table.Source.QualifiedName);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct, drain.Abort);
        string outcome;
        string? error = null;
        try
        {
            var report = await SyncAsync(table, abort.Token);
            outcome = report.Reached ? "succeeded" : drain.IsDraining ? "stopped" : "behind";
            error = report.StoppedBecause;
            status.Update(name, s => s with
            {
                ProviderVersion = report.ProviderVersion,
                ReplicaVersion = report.EndVersion,
                LastSuccess = report.Reached ? clock.GetUtcNow() : s.LastSuccess,
            });
            if (report.EndVersion >= report.ProviderVersion)
                status.CaughtUp(name);
            LogFinished(log, name, outcome, report.StartVersion, report.EndVersion, report.ProviderVersion, report.Versions.Count,
                report.FilesCopied, report.BytesCopied, watch.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (drain.IsDraining)
        {
            outcome = "stopped";
            LogStopped(log, name, watch.Elapsed.TotalSeconds);
        }
        catch (Exception e)
        {
            outcome = "failed";
            var kind = ErrorKind.Of(e);
            error = UrlRedactor.RedactText(e.Message);
            metrics.Errors.Add(1, SyncMetrics.Table(name), new KeyValuePair<string, object?>("kind", kind));
            activity?.SetStatus(ActivityStatusCode.Error, kind);
            LogFailed(log, name, kind, error, watch.Elapsed.TotalSeconds);
        }
        var ended = clock.GetUtcNow();
        metrics.RunDuration.Record(watch.Elapsed.TotalSeconds, SyncMetrics.Table(name), new KeyValuePair<string, object?>("outcome", outcome));
        metrics.Runs.Add(1, SyncMetrics.Table(name), new KeyValuePair<string, object?>("outcome", outcome));
        activity?.SetTag("outcome", outcome);
        status.Update(name, s => s with { Running = false, LastRun = s.LastRun! with { End = ended, Outcome = outcome, Error = error } });
    }

    public void Dispose()
    {
        _files.Dispose();
        _tokens.Dispose();
    }

    private async Task<SyncReport> SyncAsync(TableSettings table, CancellationToken ct)
    {
        var profile = SharingProfile.Load(table.Source.ProfilePath);
        // The profile is new each run, but an OAuth token is reused across runs and tables until it nears expiry.
        using var client = new SharingClient(profile, options: new SharingClientOptions { TokenCache = _tokens });
        var providerVersion = await client.GetTableVersionAsync(table.Source, null, ct);
        status.Update(table.Name, s => s with { ProviderVersion = providerVersion });
        var options = settings.Copy.Apply(new SyncOptions
        {
            From = table.From,
            Observer = new RunObserver(table.Name, metrics, status, log),
            StopRequested = drain.Draining,
            Checkpoints = settings.Checkpoints,
        }, _bandwidth);
        var store = stores.For(table);
        var report = await new SyncEngine(client, store, _files, options).RunAsync(table.Source, null, null, ct);
        // One listing of the replica's log, only when it changed (or is not known yet).
        if (report.Versions.Count > 0 || status.Get(table.Name).VersionsHeld is null)
        {
            var held = await HeldVersions.ReadAsync(store, ct);
            status.Update(table.Name, s => s with { VersionsHeld = held });
        }
        return report;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "run skipped: {Table} is in the cluster's schedule but not in this node's configuration")]
    private static partial void LogNotConfigured(ILogger log, string table);

    [LoggerMessage(Level = LogLevel.Information, Message = "run started: {Table} from {Source}")]
    private static partial void LogStarted(ILogger log, string table, string source);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "run {Outcome}: {Table} from version {StartVersion} to {EndVersion} (provider at {ProviderVersion}); {Versions} versions, {Files} files, {Bytes} bytes in {Seconds:0.###} s")]
    private static partial void LogFinished(ILogger log, string table, string outcome, long startVersion, long endVersion, long providerVersion,
        int versions, long files, long bytes, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "run stopped for shutdown: {Table} after {Seconds:0.###} s; the next start resumes from the last commit")]
    private static partial void LogStopped(ILogger log, string table, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "run failed: {Table} ({Kind}): {Error} after {Seconds:0.###} s")]
    private static partial void LogFailed(ILogger log, string table, string kind, string error, double seconds);
}
