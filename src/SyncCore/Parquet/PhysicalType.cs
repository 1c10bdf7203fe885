namespace ReplicaSync.Parquet;

/// <summary>The Parquet physical (storage) type of a leaf column.</summary>
public enum PhysicalType
{
    Boolean,
    Int32,
    Int64,
    /// <summary>Legacy 12-byte timestamps (nanoseconds of day + Julian day); read only.</summary>
    Int96,
    Float,
    Double,
    ByteArray,
    FixedLenByteArray,
}
