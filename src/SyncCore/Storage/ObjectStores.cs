namespace ReplicaSync.Storage;

/// <summary>Opens an <see cref="IObjectStore"/> from a target address: a plain path or a <c>file://</c> URL.</summary>
public static class ObjectStores
{
    public static IObjectStore Open(string address)
    {
        if (string.IsNullOrWhiteSpace(address))
            throw new ArgumentException("the target address is empty");
        if (address.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            return new LocalObjectStore(new Uri(address).LocalPath);
        var colon = address.IndexOf("://", StringComparison.Ordinal);
        if (colon > 1)
            throw new NotSupportedException($"target scheme '{address[..colon]}://' is not supported yet (local paths and file:// are)");
        return new LocalObjectStore(address);
    }
}
