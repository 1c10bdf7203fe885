using System.Net;

namespace ReplicaSync.Storage.Azure;

/// <summary>An Azure Blob request failed; the message names the operation, container, blob and account, never a secret.</summary>
public sealed class AzureStoreException(string message, HttpStatusCode? status, string? errorCode) : IOException(message)
{
    /// <summary>The HTTP status Azure answered with, when it answered at all.</summary>
    public HttpStatusCode? Status { get; } = status;

    /// <summary>Azure's error code (BlobNotFound, ContainerNotFound, AuthenticationFailed, ...), when it sent one.</summary>
    public string? ErrorCode { get; } = errorCode;
}
