namespace ReplicaSync.Sharing;

/// <summary>Base of every error raised by the Delta Sharing client; messages never carry the bearer token or URL query strings.</summary>
public class SharingException : Exception
{
    public SharingException(string message) : base(message) { }

    public SharingException(string message, Exception? inner) : base(message, inner) { }
}
