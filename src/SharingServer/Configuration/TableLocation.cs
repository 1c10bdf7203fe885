using ReplicaSync.Storage;

namespace ReplicaSync.SharingServer;

/// <summary>The address forms a table location takes: a local directory (or <c>file://</c>), or a store address.</summary>
internal static class TableLocation
{
    /// <summary>True for <c>s3://</c>, <c>az://</c>, <c>abfss://</c>, Azure https and <c>gs://</c> addresses.</summary>
    public static bool IsStoreAddress(string? location) =>
        location is not null && ObjectStores.IsStoreAddress(location);

    /// <summary>The directory of a local location (a path or <c>file://</c> URL), or null for a store address.</summary>
    public static string? LocalDirectory(string location)
    {
        if (IsStoreAddress(location))
            return null;
        return Path.GetFullPath(location.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(location).LocalPath : location);
    }

    /// <summary>Why the location cannot be served, or null. Store addresses are checked when the server opens them.</summary>
    public static string? Problem(string location)
    {
        if (IsStoreAddress(location))
            return null;
        if (ObjectStores.UnsupportedScheme(location) is { } scheme)
            return $"scheme '{scheme}' is not supported (directories, file://, s3://, az://, abfss:// and gs:// are)";
        try
        {
            return Directory.Exists(LocalDirectory(location)) ? null : "directory not found";
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException)
        {
            return "is not a valid path or file:// URL";
        }
    }
}
