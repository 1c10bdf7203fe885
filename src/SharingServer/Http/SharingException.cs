namespace ReplicaSync.SharingServer;

/// <summary>A request failure with the protocol's HTTP status and error code; the message is safe to show the client.</summary>
internal sealed class SharingException(int status, string errorCode, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string ErrorCode { get; } = errorCode;

    public static SharingException InvalidParameter(string message) => new(400, ErrorCodes.InvalidParameterValue, message);
    public static SharingException Malformed(string message) => new(400, ErrorCodes.MalformedRequest, message);
    public static SharingException Unsupported(string message) => new(400, ErrorCodes.UnsupportedOperation, message);
    public static SharingException NotFound(string message) => new(404, ErrorCodes.ResourceDoesNotExist, message);
    public static SharingException Forbidden(string message) => new(403, ErrorCodes.PermissionDenied, message);
}

/// <summary>The <c>errorCode</c> values the server sends (those of the reference server).</summary>
internal static class ErrorCodes
{
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string MalformedRequest = "MALFORMED_REQUEST";
    public const string UnsupportedOperation = "UNSUPPORTED_OPERATION";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string InternalError = "INTERNAL_ERROR";
}
