using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>The store contract against a local directory.</summary>
public sealed class LocalObjectStoreContractTests : ObjectStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new("contract");

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(new LocalObjectStore(_dir.Combine("root")));

    public void Dispose() => _dir.Dispose();
}
