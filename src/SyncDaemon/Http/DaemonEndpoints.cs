using Quartz;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Scheduling;
using ReplicaSync.Daemon.Status;
using ReplicaSync.Daemon.Telemetry;
using ReplicaSync.Sharing;

namespace ReplicaSync.Daemon.Http;

/// <summary>The operator endpoints: liveness, readiness, per-table status (JSON and a page for people), Prometheus metrics and on-demand runs.</summary>
public static class DaemonEndpoints
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(5);

    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", ReadyAsync);
        app.MapGet("/status", async (StatusReporter reporter, CancellationToken ct) => Results.Json(await reporter.ReportAsync(ct), StatusJsonContext.Default.DaemonStatusReport));
        app.MapGet("/", async (StatusReporter reporter, CancellationToken ct) =>
            Results.Content(StatusPage.Render(await reporter.ReportAsync(ct)), "text/html; charset=utf-8"));
        app.MapPrometheusScrapingEndpoint(DaemonTelemetry.ScrapePath);
        app.MapPost("/tables/{name}/sync", TriggerAsync);
    }

    /// <summary>Ready when the scheduler runs and every target store answers (a missing replica is fine: the first run creates it).</summary>
    private static async Task<IResult> ReadyAsync(DaemonSettings settings, TargetStores stores, ISchedulerFactory schedulers, DrainSignal drain, CancellationToken ct)
    {
        var problems = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var scheduler = await schedulers.GetScheduler(ct);
        if (scheduler.Status != SchedulerStatus.Running || drain.IsDraining)
            problems["scheduler"] = drain.IsDraining ? "shutting down" : "not started";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReadinessTimeout);
        await Parallel.ForEachAsync(settings.Tables, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (table, _) =>
        {
            try
            {
                await stores.For(table).StatAsync("_delta_log/_last_checkpoint", timeout.Token);
            }
            catch (Exception e)
            {
                problems[table.Name] = e is OperationCanceledException ? "target store did not answer in time" : "target store unreachable: " + UrlRedactor.RedactText(e.Message);
            }
        });
        var body = new ReadinessReply(problems.IsEmpty, problems.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
        return Results.Json(body, StatusJsonContext.Default.ReadinessReply, statusCode: problems.IsEmpty ? 200 : 503);
    }

    private static async Task<IResult> TriggerAsync(string name, StatusStore status, ISchedulerFactory schedulers, DrainSignal drain, CancellationToken ct)
    {
        if (!status.Contains(name))
            return Results.Json(new ErrorReply($"no table named '{name}' is configured"), StatusJsonContext.Default.ErrorReply, statusCode: 404);
        if (drain.IsDraining)
            return Results.Json(new ErrorReply("the daemon is shutting down"), StatusJsonContext.Default.ErrorReply, statusCode: 503);
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.TriggerJob(Schedules.JobKey(name), new JobDataMap(), ct);
        return Results.Json(new TriggerReply(name, Queued: true), StatusJsonContext.Default.TriggerReply, statusCode: 202);
    }
}
