namespace ReplicaSync.Parquet;

// The parts of the parquet.thrift footer structures this codec uses; everything else is skipped on read.

internal sealed class FileMetaData
{
    public int Version;
    public List<SchemaElement> Schema = [];
    public long NumRows;
    public List<RowGroupMeta> RowGroups = [];
    public Dictionary<string, string> KeyValues = new(StringComparer.Ordinal);
    public string? CreatedBy;
}

internal sealed class SchemaElement
{
    public PhysicalType? Type;
    public int TypeLength;
    public Repetition? Repetition;
    public string Name = "";
    public int NumChildren;
    public ConvertedType? Converted;
    public int Scale;
    public int Precision;
    public int? FieldId;
    public LogicalAnnotation? Logical;
}

/// <summary>The LogicalType union, reduced to what the schema keeps; Known is false for annotations this codec does not model.</summary>
internal readonly record struct LogicalAnnotation(LogicalKind Kind, bool Known, bool IsAdjustedToUtc = true, int Scale = 0, int Precision = 0);

internal sealed class RowGroupMeta
{
    public List<ColumnChunkMeta> Columns = [];
    public long TotalByteSize;
    public long NumRows;
}

internal sealed class ColumnChunkMeta
{
    public string? FilePath;
    public long FileOffset;
    public ColumnMetaData? Meta;
}

internal sealed class ColumnMetaData
{
    public PhysicalType Type;
    public List<int> Encodings = [];
    public List<string> Path = [];
    public int Codec;
    public long NumValues;
    public long TotalUncompressedSize;
    public long TotalCompressedSize;
    public long DataPageOffset;
    public long? DictionaryPageOffset;
    public ChunkStatistics? Statistics;
}

/// <summary>Statistics as written: PLAIN-encoded min/max (absent when unknown or too long) and the null count.</summary>
internal sealed class ChunkStatistics
{
    public byte[]? Min;
    public byte[]? Max;
    public long NullCount;
}
