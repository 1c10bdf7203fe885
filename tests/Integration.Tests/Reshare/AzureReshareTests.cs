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
        using var provider = new TempDirectory("provider");
        using var replicaB = new TempDirectory("replica-b");
        var table = await ReshareHop.GrowProviderAsync(provider.Path);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["orders"] = provider.Path });
        var address = $"az://{await azurite.CreateContainerAsync()}/replicas/orders";
        Assert.True((await ReshareHop.SyncAsync(sharing.ProfilePath, "share.default.orders", Open(address))).Reached);

        var (host, profile) = await ReshareHop.ServeAsync(address, sharing.Dir, Open);
        await using (host)
        {
            var urls = await ReshareHop.AnnouncedUrlsAsync(host);
            Assert.NotEmpty(urls);
            Assert.All(urls, u =>
            {
                Assert.Equal(new Uri(azurite.Endpoint).Authority, u.Authority);
                Assert.Contains("sp=r", u.Query);
                Assert.Contains("sig=", u.Query);
            });
            var report = await ReshareHop.SyncAsync(profile, ReshareHop.Qualified, new LocalObjectStore(replicaB.Path));
            Assert.True(report.Reached);
            Assert.Equal(table.Version, report.ProviderVersion);
            Assert.Empty(host.Faults.FilesServed);
        }

        await ReplicaComparer.AssertAlignedAsync(provider.Path, replicaB.Path, Sharing.TableAddress.Parse($"{profile}#{ReshareHop.Qualified}").QualifiedName);
    }

    private IObjectStore Open(string address) => new AzureBlobStore(AzureAddress.Parse(address, name => name switch
    {
        AzureAddress.AccountVariable => AzuriteServer.Account,
        AzureAddress.EndpointVariable => azurite.Endpoint,
        AzureAddress.AccountKeyVariable => AzuriteServer.AccountKey,
        _ => null,
    }));
}
