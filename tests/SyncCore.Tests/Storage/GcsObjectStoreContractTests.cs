using ReplicaSync.Storage;
using ReplicaSync.Storage.Gcs;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// The store contract against the Firebase Storage emulator, under a key prefix. The emulator finalizes a resumable
/// upload on its first PUT, so the chunk size here exceeds the largest contract object (each large write is one
/// session with a single final chunk); the multi-chunk protocol is covered by <see cref="GcsResumableUploadTests"/>.
/// </summary>
[Collection(GcsEmulatorCollection.Name)]
public sealed class GcsObjectStoreContractTests(GcsEmulator emulator) : ObjectStoreContract, IAsyncLifetime
{
    private readonly TempDirectory _keys = new("gcs-keys");
    private readonly List<GcsObjectStore> _stores = [];
    private FakeGoogleTokenServer? _rejecting;

    protected override string? PutIfAbsentNotEnforcedBecause =>
        "the Firebase Storage emulator ignores ifGenerationMatch=0; GcsObjectStoreTests.Put_if_absent_sends_ifGenerationMatch_0_and_a_412_means_another_writer_won covers the request and the 412";

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(Track(new GcsObjectStore(Options(GcsCredentials.None, null))));

    /// <summary>
    /// The emulator checks no credentials, so the rejection comes from the OAuth2 step: a real service-account key
    /// file whose token endpoint (a local fake) answers invalid_grant, as Google's does for a revoked key.
    /// </summary>
    protected override async Task<BadCredentialsCase?> CreateStoreWithBadCredentialsAsync()
    {
        _rejecting = await FakeGoogleTokenServer.StartAsync(reject: true);
        var (path, pem) = _rejecting.WriteKeyFile(_keys.Path);
        return new BadCredentialsCase(Track(new GcsObjectStore(Options(GcsCredentials.KeyFile, path))), FakeGoogleTokenServer.SecretPart(pem), "credentials");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _stores.ForEach(s => s.Dispose());
        if (_rejecting is not null)
            await _rejecting.DisposeAsync();
        _keys.Dispose();
    }

    private GcsStoreOptions Options(GcsCredentials credentials, string? keyFile) => new()
    {
        Bucket = GcsEmulator.NewBucket(), Prefix = "tables/t1", Endpoint = new Uri(emulator.Endpoint),
        Credentials = credentials, KeyFile = keyFile, ChunkSize = 64 << 20,
    };

    private GcsObjectStore Track(GcsObjectStore store)
    {
        _stores.Add(store);
        return store;
    }
}
