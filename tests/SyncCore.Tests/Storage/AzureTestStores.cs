using ReplicaSync.Storage.Azure;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>Store options pointing at the test Azurite with the dev account's key.</summary>
internal static class AzureTestStores
{
    public static AzureStoreOptions Options(AzuriteServer azurite, string container, string prefix = "") => new()
    {
        Account = AzuriteServer.Account, Container = container, Prefix = prefix,
        Endpoint = new Uri(azurite.Endpoint),
        Credential = AzureCredential.SharedKey(AzuriteServer.AccountKey),
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
    };
}
