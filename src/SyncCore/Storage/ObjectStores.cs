using ReplicaSync.Storage.Azure;
using ReplicaSync.Storage.S3;

namespace ReplicaSync.Storage;

/// <summary>
/// Opens an <see cref="IObjectStore"/> from a target address: a plain path, a <c>file://</c> URL, or
/// <c>s3://bucket/prefix</c> (configured from the environment as <see cref="S3Address"/> describes).
/// </summary>
public static class ObjectStores
{
    public static IObjectStore Open(string address)
    {
        if (string.IsNullOrWhiteSpace(address))
            throw new ArgumentException("the target address is empty");
        if (address.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            return new LocalObjectStore(new Uri(address).LocalPath);
        if (AzureAddress.IsAzure(address))
            return new AzureBlobStore(AzureAddress.Parse(address, Environment.GetEnvironmentVariable));
        if (S3Address.IsS3(address))
            return new S3ObjectStore(S3Address.Parse(address, Environment.GetEnvironmentVariable));
        var colon = address.IndexOf("://", StringComparison.Ordinal);
        if (colon > 1)
            throw new NotSupportedException($"target scheme '{address[..colon]}://' is not supported yet (local paths, file:// and s3:// are)");
        return new LocalObjectStore(address);
    }
}
