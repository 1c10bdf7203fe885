namespace ReplicaSync.Sharing;

/// <summary>The answer to a metadata call: the table version it describes, the format used, and its protocol and metadata lines.</summary>
public sealed record TableMetadataResult(long Version, ResponseFormat Format, ProtocolLine Protocol, MetadataLine Metadata);
