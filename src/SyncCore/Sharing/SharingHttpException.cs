namespace ReplicaSync.Sharing;

/// <summary>The sharing server answered with an error status (or reported one inside a streamed response).</summary>
public sealed class SharingHttpException : SharingException
{
    public SharingHttpException(int statusCode, string? errorCode, string? serverMessage, string message, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServerMessage = serverMessage;
    }

    /// <summary>The HTTP status, e.g. 404.</summary>
    public int StatusCode { get; }

    /// <summary>The server's <c>errorCode</c> / <c>error_code</c>, e.g. <c>RESOURCE_DOES_NOT_EXIST</c>; null when the body had none.</summary>
    public string? ErrorCode { get; }

    /// <summary>The server's own message (redacted), so callers can match on it without parsing <see cref="Exception.Message"/>.</summary>
    public string? ServerMessage { get; }
}
