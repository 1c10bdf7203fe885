using ReplicaSync.Delta;

namespace ReplicaSync.Sharing;

/// <summary>
/// The table metadata. Delta format: <c>deltaMetadata</c> verbatim. Parquet format: id, name, description, format, schema,
/// partition columns and configuration only (<c>createdTime</c> is null). <see cref="Version"/> is set for time travel,
/// <c>startingVersion</c> queries and metadata changes within them.
/// </summary>
public sealed record MetadataLine(Metadata Metadata, long? Version, long? Size, long? NumFiles) : SharingLine;
