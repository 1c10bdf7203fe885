namespace ReplicaSync.Storage.S3;

/// <summary>
/// Reads <c>s3://bucket/prefix</c> plus the environment into <see cref="S3StoreOptions"/>:
/// <c>REPLICASYNC_S3_ENDPOINT</c> points at an S3-compatible store or emulator, and
/// <c>REPLICASYNC_S3_FORCE_PATH_STYLE</c> (true/false; default true when an endpoint is set) picks path-style URLs.
/// Region and credentials come from the SDK's own variables (<c>AWS_REGION</c>, <c>AWS_ACCESS_KEY_ID</c>,
/// <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>, <c>AWS_PROFILE</c>, ...) through its default chain.
/// </summary>
public static class S3Address
{
    public const string EndpointVariable = "REPLICASYNC_S3_ENDPOINT";
    public const string PathStyleVariable = "REPLICASYNC_S3_FORCE_PATH_STYLE";

    public static bool IsS3(string address) => address.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);

    public static S3StoreOptions Parse(string address, Func<string, string?> environment)
    {
        if (!IsS3(address))
            throw new ArgumentException($"'{address}' is not an s3:// address");
        var (bucket, prefix) = ObjectPath.SplitBucketAddress(address, "s3://");
        var endpoint = environment(EndpointVariable) is { Length: > 0 } e ? e : null;
        var pathStyle = environment(PathStyleVariable) is { Length: > 0 } p
            ? bool.TryParse(p, out var b) ? b : throw new ArgumentException($"{PathStyleVariable} must be true or false, not '{p}'")
            : endpoint is not null;
        return new S3StoreOptions
        {
            Bucket = bucket, Prefix = prefix, ServiceUrl = endpoint, ForcePathStyle = pathStyle,
            Region = environment("AWS_REGION") is { Length: > 0 } r ? r : null,
        };
    }
}
