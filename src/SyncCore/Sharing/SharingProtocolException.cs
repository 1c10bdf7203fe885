namespace ReplicaSync.Sharing;

/// <summary>The server's response does not follow the Delta Sharing protocol (malformed NDJSON, wrong line order, missing header…).</summary>
public sealed class SharingProtocolException : SharingException
{
    public SharingProtocolException(string message, long? lineNumber = null, Exception? inner = null)
        : base(message, inner)
    {
        LineNumber = lineNumber;
    }

    /// <summary>The 1-based NDJSON line the problem was found on, when it concerns one line.</summary>
    public long? LineNumber { get; }
}
