using System.Net;
using System.Xml;
using Azure;
using Azure.Identity;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// Runs SDK calls for one store, turning their failures into <see cref="AzureStoreException"/>s that name the
/// operation, container and blob and carry no secret. Cancellation asked for by the caller and exceptions of our own
/// (not found, not supported) pass through unchanged.
/// </summary>
internal sealed class AzureCalls(string container, string account, AzureCredential credential)
{
    public string BlobName(string key) => $"{container}/{key}";

    public async Task<T> RunAsync<T>(string operation, string key, CancellationToken ct, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (Translate(e, operation, key) is { } failure)
                throw failure;
            throw;
        }
    }

    public Task RunAsync(string operation, string key, CancellationToken ct, Func<Task> call) =>
        RunAsync(operation, key, ct, async () =>
        {
            await call();
            return true;
        });

    /// <summary>404 for the blob itself; a missing container is a configuration error, not a missing object.</summary>
    public static bool IsBlobNotFound(RequestFailedException e) =>
        e.Status == (int)HttpStatusCode.NotFound && (string.IsNullOrEmpty(e.ErrorCode) || e.ErrorCode == "BlobNotFound");

    private AzureStoreException? Translate(Exception e, string operation, string key)
    {
        switch (e)
        {
            case AzureStoreException:
                return null;
            case AggregateException { InnerExceptions.Count: > 0 } retries:
                // The SDK's retry policy gives up with every attempt's failure; the last one says the most.
                return Translate(retries.InnerExceptions[^1], operation, key);
            case RequestFailedException { Status: > 0 } response:
                return AzureErrors.FromResponse(response, operation, BlobName(key), account, credential.Secrets);
            case AuthenticationFailedException:
                return AzureErrors.FromException(new InvalidOperationException(
                    $"no Entra ID token for account {account}; set {AzureAddress.AccountKeyVariable} or {AzureAddress.SasVariable}, " +
                    $"or sign in for DefaultAzureCredential ({e.Message})"), operation, BlobName(key), credential.Secrets);
            case XmlException:
                // The SDK builds its exception from the error answer's XML body; one it cannot parse (announced but not
                // sent, or cut off) throws from there, and the status is lost with it.
                return AzureErrors.FromException(new IOException("the store's error answer could not be read", e), operation, BlobName(key),
                    credential.Secrets);
            case RequestFailedException or HttpRequestException or IOException or OperationCanceledException:
                // No answer: refused, reset, a body that could not be sent, or a network timeout (not the caller's cancellation).
                return AzureErrors.FromException(e, operation, BlobName(key), credential.Secrets);
            default:
                return null;
        }
    }
}
