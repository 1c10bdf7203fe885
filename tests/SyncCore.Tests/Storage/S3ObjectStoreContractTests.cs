using ReplicaSync.Storage;
using ReplicaSync.Storage.S3;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>The store contract against moto, under a key prefix so prefix stripping is exercised too.</summary>
[Collection(MotoCollection.Name)]
public sealed class S3ObjectStoreContractTests(MotoServer moto) : ObjectStoreContract, IDisposable
{
    private readonly List<S3ObjectStore> _stores = [];

    protected override async Task<IObjectStore> CreateStoreAsync()
    {
        var store = new S3ObjectStore(S3TestStores.Options(moto, await moto.CreateBucketAsync(), "tables/t1"));
        _stores.Add(store);
        return store;
    }

    public void Dispose() => _stores.ForEach(s => s.Dispose());
}
