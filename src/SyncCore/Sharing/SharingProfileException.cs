namespace ReplicaSync.Sharing;

/// <summary>A profile file that cannot be used; the message names the file and the field, never the token.</summary>
public sealed class SharingProfileException : SharingException
{
    public SharingProfileException(string message, string? field = null, Exception? inner = null)
        : base(message, inner)
    {
        Field = field;
    }

    /// <summary>The JSON field at fault (e.g. <c>endpoint</c>), or null when the file as a whole is unusable.</summary>
    public string? Field { get; }
}
