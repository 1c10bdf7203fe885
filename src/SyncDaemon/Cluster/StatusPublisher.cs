using ReplicaSync.Daemon.Status;

namespace ReplicaSync.Daemon.Cluster;

/// <summary>
/// Shares this node's table states with the cluster: every second it writes the tables whose state changed here
/// (run start, each commit, run end) and learns which tables this node ran last, for its metrics. A final pass on
/// stop shares the outcome of runs that ended during shutdown. A database hiccup is logged and retried next second.
/// </summary>
public sealed partial class StatusPublisher(StatusStore status, SharedStatus shared, TableOwnership ownership, NodeIdentity node,
    ILogger<StatusPublisher> log) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, long> _published = new(StringComparer.Ordinal);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await PassAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            await PassAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PassAsync(CancellationToken ct)
    {
        try
        {
            var changes = status.ChangedSince(_published);
            await shared.PublishAsync(node.Id, changes, ct);
            foreach (var change in changes)
                _published[change.Status.Name] = change.Revision;
            var rows = await shared.ReadAsync(ct);
            ownership.Set(rows.Where(r => r.Value.Node == node.Id).Select(r => r.Key).ToHashSet(StringComparer.Ordinal));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogFailed(log, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not share table status with the cluster (retrying): {Error}")]
    private static partial void LogFailed(ILogger log, string error);
}
