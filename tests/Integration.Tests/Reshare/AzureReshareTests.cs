using ReplicaSync.Storage;
using ReplicaSync.Storage.Azure;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Reshare;

/// <summary>
/// provider → replica A on Azure (Azurite, account key) → re-shared with service SAS URLs → replica B aligned with the
/// provider. Azurite verifies SAS signatures, so B's copy proves the URLs are valid, not merely well-formed.
/// </summary>
[Collection(AzuriteIntegrationCollection.Name)]
public sealed class AzureReshareTests(AzuriteServer azurite)
{
    [Fact]
    public async Task A_replica_on_azure_re_shared_announces_sas_urls_and_syncs_into_a_second_replica_aligned_with_the_provider()
    {
        var container = await azurite.CreateContainerAsync();
        await ReshareHop.AssertChainAlignedAsync($"az://{container}/replicas/orders", Open, url =>
        {
            Assert.Equal(new Uri(azurite.Endpoint).Authority, url.Authority);
            Assert.StartsWith($"/{AzuriteServer.Account}/{container}/replicas/orders/", url.AbsolutePath);
            Assert.Contains("sp=r", url.Query);
            Assert.Contains("sig=", url.Query);
        }, storeServesFiles: true);
    }

    private IObjectStore Open(string address) => new AzureBlobStore(AzureAddress.Parse(address, name => name switch
    {
        AzureAddress.AccountVariable => AzuriteServer.Account,
        AzureAddress.EndpointVariable => azurite.Endpoint,
        AzureAddress.AccountKeyVariable => AzuriteServer.AccountKey,
        _ => null,
    }));
}
