namespace ReplicaSync.SharingServer;

/// <summary>The kinds of request the server counts and can inject faults into.</summary>
public enum RequestKind
{
    List,
    Version,
    Metadata,
    Query,
    File,
    Changes,
    /// <summary>The OAuth token endpoint.</summary>
    Token,
}
