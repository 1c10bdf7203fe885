namespace ReplicaSync.Parquet;

/// <summary>
/// One leaf column of one row group in Dremel form: <see cref="Count"/> level entries (one per value, null, or
/// empty/absent ancestor) and the <see cref="ValueCount"/> non-null values packed into the one typed array that
/// matches the leaf's physical type.
/// </summary>
/// <remarks>
/// Entry i holds a value exactly when its definition level equals the leaf's MaxDefinitionLevel (always, when that
/// is 0); the values appear in entry order. A repetition level of 0 starts a new row. Arrays may be longer than
/// <see cref="Count"/>/<see cref="ValueCount"/> (so pooled or oversized buffers can be written); the reader returns
/// them at exactly that length.
/// </remarks>
public sealed class ColumnData
{
    public required SchemaNode Leaf { get; init; }

    /// <summary>The number of level entries; equals the row count for a column with no repeated ancestor.</summary>
    public required int Count { get; init; }

    /// <summary>Definition levels; null when the leaf's MaxDefinitionLevel is 0.</summary>
    public byte[]? DefinitionLevels { get; init; }

    /// <summary>Repetition levels; null when the leaf's MaxRepetitionLevel is 0.</summary>
    public byte[]? RepetitionLevels { get; init; }

    /// <summary>The number of non-null values (entries whose definition level is the maximum).</summary>
    public required int ValueCount { get; init; }

    public bool[]? Booleans { get; init; }
    public int[]? Int32s { get; init; }
    public long[]? Int64s { get; init; }
    public float[]? Floats { get; init; }
    public double[]? Doubles { get; init; }

    /// <summary>ByteArray values of String, Json or Enum columns, decoded from UTF-8. Dictionary-encoded columns share one instance per distinct value.</summary>
    public string?[]? Strings { get; init; }

    /// <summary>Other ByteArray and all FixedLenByteArray values; Int96 values as their 12 raw bytes.</summary>
    public byte[][]? Binaries { get; init; }

    /// <summary>The number of rows: entries that start a new record.</summary>
    public int RowCount()
    {
        return RepetitionLevels is null ? Count : RepetitionLevels.AsSpan(0, Count).Count((byte)0);
    }

    /// <summary>Whether the leaf's values are decoded to <see cref="Strings"/> (else ByteArray values go to <see cref="Binaries"/>).</summary>
    public static bool IsStringLeaf(SchemaNode leaf) =>
        leaf.Type == PhysicalType.ByteArray && leaf.Logical is LogicalKind.String or LogicalKind.Json or LogicalKind.Enum;
}
