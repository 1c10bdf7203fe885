using System.Net;

namespace ReplicaSync.Storage.S3;

/// <summary>An S3 request failed; the message names operation, bucket and key and never carries a secret.</summary>
public sealed class S3StoreException(string message, HttpStatusCode? status, string? errorCode) : IOException(message)
{
    /// <summary>The HTTP status S3 answered with, when it answered at all.</summary>
    public HttpStatusCode? Status { get; } = status;

    /// <summary>S3's error code (NoSuchBucket, AccessDenied, ...), when it sent one.</summary>
    public string? ErrorCode { get; } = errorCode;
}
