namespace ReplicaSync.Sharing;

/// <summary>The NDJSON flavour of a metadata or query response (<c>responseformat</c> capability).</summary>
public enum ResponseFormat
{
    /// <summary>Simplified lines (<c>file</c>, <c>add</c>, …) that only describe tables readable as reader version 1.</summary>
    Parquet,

    /// <summary>Delta actions kept verbatim (<c>deltaProtocol</c>, <c>deltaMetadata</c>, <c>deltaSingleAction</c>).</summary>
    Delta,
}
