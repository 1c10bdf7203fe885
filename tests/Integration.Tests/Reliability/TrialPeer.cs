using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>A trial's store with the emulator behind it (moto, Azurite, the GCS emulator; none for local disk), started for the trial and stopped after.</summary>
internal sealed class TrialPeer(TrialStore store, IAsyncLifetime? emulator, string? endpoint) : IAsyncDisposable
{
    public TrialStore Store => store;

    /// <summary>The emulator's address as the store's environment gives it (null for local disk).</summary>
    public string? Endpoint => endpoint;

    public static async Task<TrialPeer> StartAsync(string name, string localRoot)
    {
        switch (name)
        {
            case "local":
                return new TrialPeer(TrialStore.Local(localRoot), null, null);
            case "s3":
                var moto = new MotoServer();
                await moto.InitializeAsync();
                return new TrialPeer(await TrialStore.S3Async(moto), moto, moto.Endpoint);
            case "azure":
                var azurite = new AzuriteServer();
                await azurite.InitializeAsync();
                return new TrialPeer(await TrialStore.AzureAsync(azurite), azurite, azurite.Endpoint);
            case "gcs":
                var gcs = new GcsEmulator();
                await gcs.InitializeAsync();
                return new TrialPeer(TrialStore.Gcs(gcs), gcs, gcs.Endpoint);
            default:
                throw new ArgumentException($"unknown store '{name}': local, s3, azure or gcs", nameof(name));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (emulator is not null)
            await emulator.DisposeAsync();
    }
}
