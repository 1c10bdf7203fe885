namespace ReplicaSync.Sharing;

/// <summary>One NDJSON line of a metadata or query response, normalised so both response formats look alike.</summary>
public abstract record SharingLine;
