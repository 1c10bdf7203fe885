using System.Net;
using ReplicaSync.Storage;
using ReplicaSync.Storage.Azure;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// Read SAS URLs from the Azure store against Azurite, which verifies SAS signatures for real: a service SAS (account
/// key) reads the blob, a tampered one is refused. User-delegation SAS needs Entra ID, which Azurite offers only over
/// https with OAuth; a SAS-token credential cannot sign at all.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzurePresignedReadTests(AzuriteServer azurite)
{
    [Fact]
    public async Task A_service_sas_url_reads_the_blob_without_credentials_and_a_tampered_one_is_refused()
    {
        var store = new AzureBlobStore(AzureTestStores.Options(azurite, await azurite.CreateContainerAsync(), "tables/t1"));
        var bytes = new byte[50_000];
        Random.Shared.NextBytes(bytes);
        await store.WriteAsync("x=a b/part-0.parquet", new MemoryStream(bytes), default);

        var sign = await ((IPresignedReads)store).ReadUrlSignerAsync(DateTimeOffset.UtcNow.AddMinutes(10), default);
        var url = sign("x=a b/part-0.parquet");

        Assert.Equal(new Uri(azurite.Endpoint).Authority, url.Authority);
        Assert.Contains("sp=r", url.Query);
        Assert.Contains("sr=b", url.Query);
        Assert.DoesNotContain(AzuriteServer.AccountKey, Uri.UnescapeDataString(url.AbsoluteUri));
        using var anonymous = new HttpClient();
        Assert.Equal(bytes, await anonymous.GetByteArrayAsync(url));

        // The signature covers the blob: the same SAS on a neighbour is refused.
        await store.WriteAsync("x=a b/part-1.parquet", new MemoryStream([1, 2, 3]), default);
        using var moved = await anonymous.GetAsync(url.AbsoluteUri.Replace("part-0", "part-1", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, moved.StatusCode);
    }

    [Fact]
    public async Task A_store_reached_with_a_sas_token_cannot_sign_and_says_what_to_use_instead()
    {
        using var rest = azurite.Rest();
        var container = await azurite.CreateContainerAsync();
        var sas = rest.ServiceSas(container, null, "rl", DateTimeOffset.UtcNow.AddHours(1));
        var store = new AzureBlobStore(AzureTestStores.Options(azurite, container) with { Credential = AzureCredential.Sas(sas) });

        var e = await Assert.ThrowsAsync<NotSupportedException>(() => store.ReadUrlSignerAsync(DateTimeOffset.UtcNow.AddMinutes(10), default));

        Assert.Contains(AzureAddress.AccountKeyVariable, e.Message);
        Assert.DoesNotContain(sas, e.Message);
    }
}
