namespace ReplicaSync.Parquet;

/// <summary>The page compression codecs this codec reads and writes. Files using others are rejected by name.</summary>
public enum CompressionCodec
{
    Uncompressed,
    Snappy,
    Gzip,
}
