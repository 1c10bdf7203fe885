namespace ReplicaSync.Parquet;

/// <summary>How <see cref="ParquetFileWriter"/> encodes pages and what it puts in the footer.</summary>
public sealed record ParquetWriteOptions
{
    public CompressionCodec Codec { get; init; } = CompressionCodec.Snappy;

    /// <summary>Dictionary-encode string columns when their distinct values make that smaller than plain encoding.</summary>
    public bool Dictionary { get; init; } = true;

    /// <summary>Target size of a data page's encoded values before compression; pages end on row boundaries.</summary>
    public int DataPageSize { get; init; } = 1024 * 1024;

    public string CreatedBy { get; init; } = "ReplicaSync";

    /// <summary>Write min/max/null_count statistics per column chunk.</summary>
    public bool Statistics { get; init; } = true;

    public IReadOnlyDictionary<string, string>? KeyValueMetadata { get; init; }
}
