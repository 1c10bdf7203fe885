using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// A store emulator (moto, Azurite, the GCS emulator) behind a <see cref="StoreFaultProxy"/> speaking its dialect: the
/// CLI's environment points at the proxy, the checks open the emulator directly.
/// </summary>
internal sealed class FaultyStore(TrialPeer peer, StoreFaultProxy proxy, TrialTarget direct, IReadOnlyDictionary<string, string> environment)
    : IAsyncDisposable
{
    public StoreFaultProxy Proxy => proxy;
    public string Address => direct.Address;
    public IReadOnlyDictionary<string, string> Environment => environment;
    public IObjectStore OpenDirect() => direct.Open();

    /// <summary>Starts the store named s3, azure or gcs with a proxy in front that lets everything through until told otherwise.</summary>
    public static async Task<FaultyStore> StartAsync(string name, int seed)
    {
        var peer = await TrialPeer.StartAsync(name, localRoot: "");
        try
        {
            var upstream = peer.Endpoint ?? throw new ArgumentException($"store '{name}' has no emulator to put a proxy in front of", nameof(name));
            var proxy = await StoreFaultProxy.StartAsync(upstream, StoreDialect.Named(name), probability: 0, seed);
            var direct = peer.Store.Target("replica");
            // The endpoint variable (whatever the store calls it) is the one whose value is the emulator's address.
            var proxied = direct.Environment.ToDictionary(v => v.Key, v => v.Value.TrimEnd('/') == upstream.TrimEnd('/') ? proxy.Endpoint : v.Value);
            if (!proxied.ContainsValue(proxy.Endpoint))
                throw new InvalidOperationException($"no variable of the {name} store's environment holds its endpoint {upstream}: the CLI would bypass the proxy");
            return new FaultyStore(peer, proxy, direct, proxied);
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await proxy.DisposeAsync();
        await peer.DisposeAsync();
    }
}
