using ReplicaSync.Daemon.Configuration;
using ReplicaSync.SharingServer;

namespace ReplicaSync.Daemon.Service;

/// <summary>
/// Runs the Delta Sharing server over the daemon's own replicas (the <c>serve</c> section) for the life of the daemon,
/// on its own listen address. Files of replicas in object stores are served by URLs the store pre-signs.
/// </summary>
internal sealed class ReshareService(ServeSettings serve, ILoggerFactory logs) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = logs.CreateLogger<ReshareService>();
    private SharingServerHost? _host;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The server's audit lines join the daemon's own log (JSON when not on a terminal).
        _host = await SharingServerHost.StartAsync(serve.Server, serve.Listen, cancellationToken, logs: new DaemonLogs(logs));
        _logger.LogInformation("re-sharing {Tables} replica(s) over Delta Sharing at {Endpoint}",
            serve.Server.Shares.Sum(s => s.Schemas.Sum(c => c.Tables.Count)), _host.Endpoint);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is not null)
            await _host.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    /// <summary>Hands the server's loggers out of the daemon's factory; the daemon owns and disposes it.</summary>
    private sealed class DaemonLogs(ILoggerFactory factory) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
