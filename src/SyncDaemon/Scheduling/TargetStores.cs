using System.Collections.Concurrent;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Storage;

namespace ReplicaSync.Daemon.Scheduling;

/// <summary>
/// One object store per configured table, opened on first use and kept for the daemon's life: cloud stores hold
/// connection pools and credentials, so opening one per run (or per readiness probe) would leak sockets and redo
/// token exchanges. Disposed with the daemon.
/// </summary>
public sealed class TargetStores : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IObjectStore>> _stores = new(StringComparer.Ordinal);

    public IObjectStore For(TableSettings table) =>
        _stores.GetOrAdd(table.Name, _ => new Lazy<IObjectStore>(() => ObjectStores.Open(table.Target))).Value;

    public void Dispose()
    {
        foreach (var store in _stores.Values.Where(s => s.IsValueCreated))
            (store.Value as IDisposable)?.Dispose();
        _stores.Clear();
    }
}
