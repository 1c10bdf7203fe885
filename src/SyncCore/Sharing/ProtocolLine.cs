using ReplicaSync.Delta;

namespace ReplicaSync.Sharing;

/// <summary>
/// The table protocol. Delta format: <c>deltaProtocol</c> verbatim (unknown fields kept in <see cref="DeltaAction.Extra"/>).
/// Parquet format: the line's <c>minReaderVersion</c> and writer version 2, because that format carries no writer version.
/// <see cref="Version"/> is set only on historical protocol lines.
/// </summary>
public sealed record ProtocolLine(Protocol Protocol, long? Version) : SharingLine;
