using ReplicaSync.Daemon.Configuration;
using ReplicaSync.SharingServer;

namespace ReplicaSync.Daemon.Service;

/// <summary>
/// Runs the Delta Sharing server over the daemon's own replicas (the <c>serve</c> section) for the life of the daemon,
/// on its own listen address. Files of replicas in object stores are served by URLs the store pre-signs.
/// </summary>
internal sealed class ReshareService(ServeSettings serve, ILogger<ReshareService> logger) : IHostedService, IAsyncDisposable
{
    private SharingServerHost? _host;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _host = await SharingServerHost.StartAsync(serve.Server, serve.Listen, cancellationToken);
        logger.LogInformation("re-sharing {Tables} replica(s) over Delta Sharing at {Endpoint}",
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
}
