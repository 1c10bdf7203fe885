using Amazon.Runtime;
using ReplicaSync.Storage;
using ReplicaSync.Storage.S3;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>The store contract against moto, under a key prefix so prefix stripping is exercised too.</summary>
[Collection(MotoCollection.Name)]
public sealed class S3ObjectStoreContractTests(MotoServer moto) : ObjectStoreContract, IDisposable
{
    private const string BadSecret = "bad-s3-secret-must-never-leak";
    private readonly List<S3ObjectStore> _stores = [];
    private readonly List<MotoServer> _strictServers = [];

    protected override async Task<IObjectStore> CreateStoreAsync()
    {
        var store = new S3ObjectStore(S3TestStores.Options(moto, await moto.CreateBucketAsync(), "tables/t1"));
        _stores.Add(store);
        return store;
    }

    /// <summary>
    /// The shared moto accepts any credentials, so this uses a second moto that checks access keys and knows none:
    /// every request gets 403 InvalidAccessKeyId, as AWS answers an unknown key. moto verifies no SigV4 signatures,
    /// so a known key with a wrong secret cannot be tested here; the error path it would take is the same.
    /// </summary>
    protected override async Task<BadCredentialsCase?> CreateStoreWithBadCredentialsAsync()
    {
        var strict = MotoServer.CheckingCredentials();
        _strictServers.Add(strict);
        await strict.InitializeAsync();
        var store = new S3ObjectStore(S3TestStores.Options(strict, "any-bucket", "tables/t1") with
        {
            Credentials = new BasicAWSCredentials("AKIAUNKNOWNKEY", BadSecret),
        });
        _stores.Add(store);
        // HEAD answers have no body, so Stat's error has no InvalidAccessKeyId code; every message mentions credentials.
        return new BadCredentialsCase(store, BadSecret, "credentials");
    }

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _strictServers.ForEach(m => m.DisposeAsync().GetAwaiter().GetResult());
    }
}
