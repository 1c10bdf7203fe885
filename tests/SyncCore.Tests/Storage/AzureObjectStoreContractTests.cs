using ReplicaSync.Storage;
using ReplicaSync.Storage.Azure;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// The store contract against Azurite 3.35.0 through the SDK-backed store (Azure.Storage.Blobs signs, and Azurite
/// verifies the SharedKey signatures), under a key prefix so prefix
/// stripping is exercised too. Pages hold 1,000 blobs, as S3's do, so the 1,100-key listing crosses a marker (Azure's
/// default page is 5,000). Every contract behaviour runs against Azurite for real: ranged reads, the eight-way
/// put-if-absent race (409 BlobAlreadyExists for the losers), 40 MiB objects staged as 8 MiB blocks, failed and
/// cancelled writes, deletes, missing objects, and a wrong key (403 AuthorizationFailure).
/// What Azurite does not implement is covered in <see cref="AzureBlobStoreTests"/> by recording the requests the SDK
/// sends (<see cref="AzureTraffic"/>, an HttpClient handler under the SDK's transport) and answering them as Azure would: Put Block From URL (Azurite answers 501 APINotImplemented, which that suite
/// also shows for real), bearer tokens (Azurite needs https and --oauth for them), ADLS Gen2 directory markers (no
/// hierarchical namespace), and 5xx/throttling answers for the retry rules. More on Azurite in <see cref="AzuriteServer"/>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureObjectStoreContractTests(AzuriteServer azurite) : ObjectStoreContract
{
    private const string WrongKey = "V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3Jvbmc=";

    protected override async Task<IObjectStore> CreateStoreAsync() =>
        new AzureBlobStore(AzureTestStores.Options(azurite, await azurite.CreateContainerAsync(), "tables/t1") with { ListPageSize = 1000 });

    /// <summary>A real check: Azurite verifies the SharedKey signature and answers 403 AuthorizationFailure to a wrong key.</summary>
    protected override async Task<BadCredentialsCase?> CreateStoreWithBadCredentialsAsync()
    {
        var options = AzureTestStores.Options(azurite, await azurite.CreateContainerAsync(), "tables/t1") with
        {
            Credential = AzureCredential.SharedKey(WrongKey),
        };
        return new BadCredentialsCase(new AzureBlobStore(options), WrongKey, $"authentication failed for account {AzuriteServer.Account}");
    }
}
