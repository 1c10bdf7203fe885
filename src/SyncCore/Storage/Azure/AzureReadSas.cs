using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// Read-only SAS URLs for single blobs. With the account key they are service SAS, signed locally. With Entra ID
/// they are user-delegation SAS: one Get User Delegation Key call, then local signing, and the key is reused while
/// it outlives the URLs asked for. A SAS token credential cannot make new SAS, so it is refused.
/// </summary>
internal sealed class AzureReadSas(BlobContainerClient container, AzureStoreOptions options, AzureCalls calls)
{
    // Azure issues user delegation keys for at most 7 days.
    private static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromDays(7);
    private readonly SemaphoreSlim _keyGate = new(1, 1);
    private UserDelegationKey? _delegationKey;

    /// <summary>A signer of GET URLs that expire at <paramref name="expiresAt"/>; <paramref name="keyOf"/> maps a store path to its blob name.</summary>
    public async Task<Func<string, Uri>> SignerAsync(Func<string, string> keyOf, DateTimeOffset expiresAt, CancellationToken ct)
    {
        if (options.Credential.IsBearer)
        {
            var key = await DelegationKeyAsync(expiresAt, ct);
            return path =>
            {
                var blob = container.GetBlobClient(keyOf(path));
                return new BlobUriBuilder(blob.Uri) { Sas = Template(blob.Name, expiresAt).ToSasQueryParameters(key, options.Account) }.ToUri();
            };
        }
        if (container.CanGenerateSasUri)
        {
            return path =>
            {
                var blob = container.GetBlobClient(keyOf(path));
                return blob.GenerateSasUri(Template(blob.Name, expiresAt));
            };
        }
        throw new NotSupportedException(
            $"Azure {options.Account}/{options.Container} is reached with a SAS token, which cannot sign new URLs: " +
            $"give the account key ({AzureAddress.AccountKeyVariable}) for service SAS, or use Entra ID for user-delegation SAS");
    }

    private BlobSasBuilder Template(string blobName, DateTimeOffset expiresAt)
    {
        var builder = new BlobSasBuilder
        {
            BlobContainerName = options.Container, BlobName = blobName, Resource = "b", ExpiresOn = expiresAt, Protocol = SasProtocol.HttpsAndHttp,
        };
        builder.SetPermissions(BlobSasPermissions.Read);
        return builder;
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset expiresAt, CancellationToken ct)
    {
        await _keyGate.WaitAsync(ct);
        try
        {
            if (_delegationKey is { } cached && cached.SignedExpiresOn >= expiresAt)
                return cached;
            var now = DateTimeOffset.UtcNow;
            // Starting a little in the past absorbs clock skew between this host and Azure.
            _delegationKey = await calls.RunAsync("Get User Delegation Key", "", ct, async () =>
                (await container.GetParentBlobServiceClient().GetUserDelegationKeyAsync(now.AddMinutes(-5), now + DelegationKeyLifetime, ct)).Value);
            return _delegationKey;
        }
        finally
        {
            _keyGate.Release();
        }
    }
}
