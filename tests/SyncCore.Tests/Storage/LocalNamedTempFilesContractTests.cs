using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// The store contract against a local directory written through named temp files only: the way taken where the file
/// system has no unnamed files (<c>O_TMPFILE</c>), which this machine's file systems all have.
/// </summary>
public sealed class LocalNamedTempFilesContractTests : ObjectStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new("contract-named");

    protected override Task<IObjectStore> CreateStoreAsync() =>
        Task.FromResult<IObjectStore>(new LocalObjectStore(_dir.Combine("root"), unnamedFiles: false));

    /// <summary>Not applicable: a local directory has no credentials (see <see cref="LocalObjectStoreContractTests"/>).</summary>
    protected override Task<BadCredentialsCase?> CreateStoreWithBadCredentialsAsync() => Task.FromResult<BadCredentialsCase?>(null);

    public void Dispose() => _dir.Dispose();
}
