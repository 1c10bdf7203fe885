namespace ReplicaSync.Parquet;

/// <summary>
/// The annotation on a schema node. Written as both the legacy ConvertedType and the LogicalType; read from either.
/// It changes how values are interpreted, never how they are stored: a Date is still an Int32 column.
/// </summary>
public enum LogicalKind
{
    None,
    /// <summary>UTF-8 text in a ByteArray column; decoded to <see cref="string"/>.</summary>
    String,
    /// <summary>A group whose single repeated child holds key/value pairs.</summary>
    Map,
    /// <summary>A group whose single repeated child holds the elements.</summary>
    List,
    /// <summary>Days since 1970-01-01 in an Int32 column.</summary>
    Date,
    TimestampMillis,
    TimestampMicros,
    /// <summary>An unscaled integer in an Int32, Int64 or FixedLenByteArray column; see Precision and Scale.</summary>
    Decimal,
    /// <summary>JSON text in a ByteArray column; decoded to <see cref="string"/>.</summary>
    Json,
    Int8,
    Int16,
    /// <summary>The legacy MAP_KEY_VALUE mark on the repeated group inside a map.</summary>
    MapKeyValue,
    TimestampNanos,
    /// <summary>An enum name in a ByteArray column; decoded to <see cref="string"/>.</summary>
    Enum,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
}
