using Google.Apis.Auth.OAuth2;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// Tokens from Google.Apis.Auth: a service-account key file when one is named, otherwise application-default
/// credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's stored login, then the metadata server). The credential
/// is loaded on first use and caches and refreshes its token itself.
/// </summary>
public sealed class GoogleGcsTokenSource(string? keyFile) : IGcsTokenSource, IDisposable
{
    private const string Scope = "https://www.googleapis.com/auth/devstorage.read_write";
    private readonly SemaphoreSlim _load = new(1, 1);
    private ITokenAccess? _credential;

    public async ValueTask<string?> GetTokenAsync(CancellationToken ct)
    {
        var credential = _credential ?? await LoadAsync(ct);
        try
        {
            return await credential.GetAccessTokenForRequestAsync(null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw new GcsStoreException($"could not get a GCS access token with the credentials from {Source}: {e.Message}", null);
        }
    }

    public void Dispose() => _load.Dispose();

    private string Source => keyFile is null ? "application-default credentials" : $"the service-account key file '{keyFile}'";

    private async Task<ITokenAccess> LoadAsync(CancellationToken ct)
    {
        await _load.WaitAsync(ct);
        try
        {
            if (_credential is not null)
                return _credential;
            var credential = keyFile is null
                ? await GoogleCredential.GetApplicationDefaultAsync(ct)
                : (await CredentialFactory.FromFileAsync<ServiceAccountCredential>(keyFile, ct)).ToGoogleCredential();
            return _credential = credential.CreateScoped(Scope);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The library's messages name the file and the problem, never the key material.
            throw new GcsStoreException($"could not load GCS credentials from {Source}: {e.Message}", null);
        }
        finally
        {
            _load.Release();
        }
    }
}
