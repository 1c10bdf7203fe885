using System.Net;

namespace ReplicaSync.Storage.Gcs;

/// <summary>A GCS request failed; the message names the operation and object and never carries a token or upload id.</summary>
public sealed class GcsStoreException(string message, HttpStatusCode? status) : IOException(message)
{
    /// <summary>The HTTP status GCS answered with, when it answered at all.</summary>
    public HttpStatusCode? Status { get; } = status;
}
