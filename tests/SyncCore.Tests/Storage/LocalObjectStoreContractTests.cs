using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>The store contract against a local directory.</summary>
public sealed class LocalObjectStoreContractTests : ObjectStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new("contract");

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(new LocalObjectStore(_dir.Combine("root")));

    /// <summary>
    /// Not applicable: a local directory has no credentials. File permissions are the nearest thing, but they surface
    /// as UnauthorizedAccessException and the suite runs as root here, which bypasses them, so no unreadable root can
    /// stand in.
    /// </summary>
    protected override Task<BadCredentialsCase?> CreateStoreWithBadCredentialsAsync() => Task.FromResult<BadCredentialsCase?>(null);

    public void Dispose() => _dir.Dispose();
}
