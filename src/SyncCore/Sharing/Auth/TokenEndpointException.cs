namespace ReplicaSync.Sharing.Auth;

/// <summary>The OAuth token endpoint refused the profile's client credentials, answered badly, or could not be reached.</summary>
public sealed class TokenEndpointException : SharingException
{
    public TokenEndpointException(string message, int? statusCode, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>The endpoint's HTTP status; null when it gave none (connection failure).</summary>
    public int? StatusCode { get; }
}
