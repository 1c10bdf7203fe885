using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>A trial's store with the emulator behind it (moto, Azurite, the GCS emulator; none for local disk), started for the trial and stopped after.</summary>
internal sealed class TrialPeer(TrialStore store, IAsyncLifetime? emulator) : IAsyncDisposable
{
    public TrialStore Store => store;

    public static async Task<TrialPeer> StartAsync(string name, string localRoot)
    {
        switch (name)
        {
            case "local":
                return new TrialPeer(TrialStore.Local(localRoot), null);
            case "s3":
                var moto = new MotoServer();
                await moto.InitializeAsync();
                return new TrialPeer(await TrialStore.S3Async(moto), moto);
            case "azure":
                var azurite = new AzuriteServer();
                await azurite.InitializeAsync();
                return new TrialPeer(await TrialStore.AzureAsync(azurite), azurite);
            case "gcs":
                var gcs = new GcsEmulator();
                await gcs.InitializeAsync();
                return new TrialPeer(TrialStore.Gcs(gcs), gcs);
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
