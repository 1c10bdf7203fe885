using ReplicaSync.Storage;
using ReplicaSync.Storage.Azure;
using ReplicaSync.Storage.Gcs;
using ReplicaSync.Storage.S3;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// A store the reliability trials replicate into (local disk, S3 on moto, Azure on Azurite, GCS on the Firebase
/// emulator): one fresh bucket or container per trial, one prefix per replica inside it.
/// </summary>
internal sealed class TrialStore
{
    private readonly Func<string, TrialTarget> _target;

    private TrialStore(string name, Func<string, TrialTarget> target)
    {
        Name = name;
        _target = target;
    }

    /// <summary>local, s3, azure or gcs.</summary>
    public string Name { get; }

    /// <summary>The replica location named <paramref name="replica"/> (a folder or a prefix).</summary>
    public TrialTarget Target(string replica) => _target(replica);

    public static TrialStore Local(string root) => new("local", replica =>
    {
        var path = Path.Combine(root, replica);
        return new TrialTarget(path, new Dictionary<string, string>(), () => new LocalObjectStore(path));
    });

    public static async Task<TrialStore> S3Async(MotoServer moto)
    {
        var bucket = await moto.CreateBucketAsync();
        var environment = moto.CliEnvironment();
        return new TrialStore("s3", replica => new TrialTarget($"s3://{bucket}/{replica}", environment, () => new S3ObjectStore(moto.StoreOptions(bucket, replica))));
    }

    public static async Task<TrialStore> AzureAsync(AzuriteServer azurite)
    {
        var container = await azurite.CreateContainerAsync();
        var environment = new Dictionary<string, string>
        {
            [AzureAddress.AccountVariable] = AzuriteServer.Account,
            [AzureAddress.EndpointVariable] = azurite.Endpoint,
            [AzureAddress.AccountKeyVariable] = AzuriteServer.AccountKey,
            [AzureAddress.SasVariable] = "",
        };
        return new TrialStore("azure", replica =>
        {
            var address = $"az://{container}/{replica}";
            return new TrialTarget(address, environment, () => new AzureBlobStore(AzureAddress.Parse(address, Lookup(environment))));
        });
    }

    public static TrialStore Gcs(GcsEmulator emulator)
    {
        var bucket = GcsEmulator.NewBucket();
        var environment = new Dictionary<string, string>
        {
            [GcsAddress.EndpointVariable] = emulator.Endpoint,
            [GcsAddress.CredentialsVariable] = "none",
        };
        return new TrialStore("gcs", replica =>
        {
            var address = $"gs://{bucket}/{replica}";
            return new TrialTarget(address, environment, () => new GcsObjectStore(GcsAddress.Parse(address, Lookup(environment))));
        });
    }

    private static Func<string, string?> Lookup(IReadOnlyDictionary<string, string> environment) =>
        name => environment.GetValueOrDefault(name);
}
