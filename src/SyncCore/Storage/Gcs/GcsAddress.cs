namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// Reads <c>gs://bucket/prefix</c> plus the environment into <see cref="GcsStoreOptions"/>:
/// <c>REPLICASYNC_GCS_ENDPOINT</c> (or Google's own <c>STORAGE_EMULATOR_HOST</c>) points at an emulator or another
/// endpoint, and <c>REPLICASYNC_GCS_CREDENTIALS</c> is a service-account key file path, or <c>none</c> to send no
/// credentials. Without it, application-default credentials are used, except against <c>STORAGE_EMULATOR_HOST</c>,
/// which (as in Google's libraries) means none.
/// </summary>
public static class GcsAddress
{
    public const string EndpointVariable = "REPLICASYNC_GCS_ENDPOINT";
    public const string EmulatorHostVariable = "STORAGE_EMULATOR_HOST";
    public const string CredentialsVariable = "REPLICASYNC_GCS_CREDENTIALS";

    public static bool IsGcs(string address) => address.StartsWith("gs://", StringComparison.OrdinalIgnoreCase);

    public static GcsStoreOptions Parse(string address, Func<string, string?> environment)
    {
        if (!IsGcs(address))
            throw new ArgumentException($"'{address}' is not a gs:// address");
        var (bucket, prefix) = ObjectPath.SplitBucketAddress(address, "gs://");
        if (!IsBucketName(bucket))
            throw new ArgumentException($"'{address}': '{bucket}' is not a valid GCS bucket name (3-222 lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit)");
        if (prefix.Length > 0)
        {
            try
            {
                ObjectPath.Validate(prefix);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"'{address}': the prefix is not a valid key ({e.Message})");
            }
        }

        var emulatorHost = Value(environment, EmulatorHostVariable);
        var endpointText = Value(environment, EndpointVariable) ?? emulatorHost;
        var endpoint = endpointText is null ? GcsStoreOptions.DefaultEndpoint : ParseEndpoint(endpointText);
        var credentials = Value(environment, CredentialsVariable);
        return new GcsStoreOptions
        {
            Bucket = bucket, Prefix = prefix, Endpoint = endpoint,
            Credentials = credentials switch
            {
                null => emulatorHost is not null && Value(environment, EndpointVariable) is null ? GcsCredentials.None : GcsCredentials.ApplicationDefault,
                _ when credentials.Equals("none", StringComparison.OrdinalIgnoreCase) => GcsCredentials.None,
                _ => GcsCredentials.KeyFile,
            },
            KeyFile = credentials is null || credentials.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : credentials,
        };
    }

    private static string? Value(Func<string, string?> environment, string name) =>
        environment(name) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>Accepts a URL or, like STORAGE_EMULATOR_HOST, a bare host:port (http is assumed).</summary>
    private static Uri ParseEndpoint(string text)
    {
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            throw new ArgumentException($"the GCS endpoint '{text}' ({EndpointVariable} or {EmulatorHostVariable}) is not an http(s) URL or host:port");
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    private static bool IsBucketName(string bucket) =>
        bucket.Length is >= 3 and <= 222
        && char.IsAsciiLetterOrDigit(bucket[0]) && char.IsAsciiLetterOrDigit(bucket[^1])
        && bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.');
}
