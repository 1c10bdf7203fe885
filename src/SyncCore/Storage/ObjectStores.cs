using ReplicaSync.Storage.Azure;
using ReplicaSync.Storage.Gcs;
using ReplicaSync.Storage.S3;

namespace ReplicaSync.Storage;

/// <summary>
/// Opens an <see cref="IObjectStore"/> from a target address: a plain path, a <c>file://</c> URL,
/// <c>s3://bucket/prefix</c>, <c>az://container/prefix</c> or <c>abfss://container@account.dfs.core.windows.net/prefix</c>,
/// or <c>gs://bucket/prefix</c>, each configured from the environment as its address type describes.
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
        if (GcsAddress.IsGcs(address))
            return new GcsObjectStore(GcsAddress.Parse(address, Environment.GetEnvironmentVariable));
        if (UnsupportedScheme(address) is { } scheme)
            throw new NotSupportedException($"target scheme '{scheme}' is not supported (local paths, file://, s3://, az://, abfss:// and gs:// are)");
        return new LocalObjectStore(address);
    }

    /// <summary>True for the addresses of a cloud store: <c>s3://</c>, <c>az://</c>, <c>abfss://</c>, Azure https and <c>gs://</c>.</summary>
    public static bool IsStoreAddress(string address) =>
        S3Address.IsS3(address) || AzureAddress.IsAzure(address) || GcsAddress.IsGcs(address);

    /// <summary>The <c>scheme://</c> of an address that is neither a store address, a <c>file://</c> URL nor a plain path; else null.</summary>
    public static string? UnsupportedScheme(string address)
    {
        if (IsStoreAddress(address) || address.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            return null;
        var colon = address.IndexOf("://", StringComparison.Ordinal);
        return colon > 1 ? address[..(colon + 3)] : null;
    }
}
