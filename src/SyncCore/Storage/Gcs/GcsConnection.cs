using Google.Apis.Auth.OAuth2;
using Google.Cloud.Storage.V1;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// The <see cref="StorageClient"/> of one store, built on first use so that a missing key file or absent
/// application-default credentials fail the operation that needs them, naming it, rather than the store's
/// construction. A failed build is not kept: the next operation tries again.
/// </summary>
internal sealed class GcsConnection(GcsStoreOptions options, GoogleCredential? credential) : IDisposable
{
    private const string Scope = "https://www.googleapis.com/auth/devstorage.read_write";
    private readonly SemaphoreSlim _build = new(1, 1);
    private StorageClient? _client;

    public async Task<StorageClient> GetAsync(string operation, string target, CancellationToken ct)
    {
        if (Volatile.Read(ref _client) is { } built)
            return built;
        await _build.WaitAsync(ct);
        try
        {
            return _client ??= await BuildAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The library's messages name the file and the problem, never the key material.
            throw new GcsStoreException($"GCS {operation} of {target} failed: could not load GCS credentials from {Source}: {GcsErrors.Redact(e.Message)}", null);
        }
        finally
        {
            _build.Release();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _build.Dispose();
    }

    private string Source => options.Credentials == GcsCredentials.KeyFile
        ? $"the service-account key file '{options.KeyFile}'"
        : "application-default credentials";

    private async Task<StorageClient> BuildAsync(CancellationToken ct)
    {
        // Key files exchange a signed assertion for an OAuth2 token at their token_uri, as every Google library
        // does by default: the storage builder's self-signed JWTs would skip that endpoint, and with it the
        // early, named failure of a revoked or foreign key.
        var builder = new StorageClientBuilder { UseJwtAccessWithScopes = false };
        if (options.Endpoint != GcsStoreOptions.DefaultEndpoint)
            builder.BaseUri = new Uri(options.Endpoint, "storage/v1/").ToString();
        if (credential is not null)
            builder.GoogleCredential = credential;
        else if (options.Credentials == GcsCredentials.None)
            builder.UnauthenticatedAccess = true;
        else if (options.Credentials == GcsCredentials.KeyFile)
            builder.GoogleCredential = (await CredentialFactory.FromFileAsync<ServiceAccountCredential>(options.KeyFile!, ct)).ToGoogleCredential().CreateScoped(Scope);
        else
            builder.GoogleCredential = (await GoogleCredential.GetApplicationDefaultAsync(ct)).CreateScoped(Scope);
        return await builder.BuildAsync(ct);
    }
}
