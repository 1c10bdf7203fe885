using System.Buffers.Binary;

namespace ReplicaSync.Parquet;

/// <summary>
/// Reads a Parquet file held whole in memory: the footer on open, then only the column chunks asked for.
/// <see cref="ReadColumn(int, SchemaNode)"/> may be called concurrently for different columns.
/// </summary>
public sealed class ParquetFileReader : IDisposable
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    private readonly ReadOnlyMemory<byte> _file;
    private readonly string _name;
    private readonly long _dataEnd;
    private readonly FileMetaData _meta;
    private readonly Dictionary<SchemaNode, int> _leafIndex = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    private ParquetFileReader(ReadOnlyMemory<byte> file, string name)
    {
        _file = file;
        _name = name;
        var span = file.Span;
        if (span.Length < 12)
            throw ParquetException.Corrupt(name, $"only {span.Length} bytes, too short for a Parquet file");
        if (span[^4..].SequenceEqual("PARE"u8))
            throw ParquetException.Unsupported(name, "encrypted footer");
        if (!span[..4].SequenceEqual(Magic) || !span[^4..].SequenceEqual(Magic))
            throw ParquetException.Corrupt(name, "missing the PAR1 magic bytes at its start or end");
        var footerLength = BinaryPrimitives.ReadUInt32LittleEndian(span[^8..]);
        if (footerLength == 0 || footerLength > span.Length - 12)
            throw ParquetException.Corrupt(name, $"footer length {footerLength} does not fit in {span.Length} bytes");
        _dataEnd = span.Length - 8 - footerLength;
        var thrift = new CompactReader(span.Slice((int)_dataEnd, (int)footerLength), name);
        _meta = MetadataReader.ReadFileMetaData(ref thrift);
        Schema = SchemaConverter.ToTree(_meta.Schema, name);
        var leafCount = 0;
        foreach (var leaf in Schema.Leaves())
            _leafIndex[leaf] = leafCount++;
        foreach (var group in _meta.RowGroups)
        {
            if (group.Columns.Count != leafCount)
                throw ParquetException.Corrupt(name, $"a row group has {group.Columns.Count} column chunks for {leafCount} columns");
            if (group.NumRows < 0 || (leafCount == 0 && group.NumRows > 0))
                throw ParquetException.Corrupt(name, $"a row group has {group.NumRows} rows for {leafCount} columns");
        }
        if (_meta.NumRows < 0)
            throw ParquetException.Corrupt(name, $"the file claims {_meta.NumRows} rows");
        KeyValueMetadata = _meta.KeyValues;
    }

    public SchemaNode Schema { get; }
    public long RowCount => _meta.NumRows;
    public int RowGroupCount => _meta.RowGroups.Count;
    public IReadOnlyDictionary<string, string> KeyValueMetadata { get; }
    public string? CreatedBy => _meta.CreatedBy;

    /// <summary>The name given at open, used in error messages.</summary>
    public string Name => _name;

    /// <summary>Parses the footer of a file held in memory; the memory must stay unchanged while the reader is used.</summary>
    public static ParquetFileReader Open(ReadOnlyMemory<byte> file, string name) => new(file, name);

    /// <summary>Reads <paramref name="stream"/> to its end, then opens the bytes.</summary>
    public static async Task<ParquetFileReader> OpenAsync(Stream stream, string name, CancellationToken ct)
    {
        byte[] bytes;
        if (stream.CanSeek)
        {
            var length = stream.Length - stream.Position;
            if (length > Array.MaxLength)
                throw ParquetException.Unsupported(name, $"a file of {length} bytes (more than fits in memory at once)");
            bytes = new byte[length];
            await stream.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
        }
        else
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct).ConfigureAwait(false);
            bytes = copy.ToArray();
        }
        return Open(bytes, name);
    }

    /// <summary>The number of rows in one row group.</summary>
    public long GetRowCount(int rowGroup) => RowGroup(rowGroup).NumRows;

    /// <summary>Decodes one leaf column of one row group. <paramref name="leaf"/> is a leaf of <see cref="Schema"/> or one with the same path.</summary>
    public ColumnData ReadColumn(int rowGroup, SchemaNode leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var group = RowGroup(rowGroup);
        if (!_leafIndex.TryGetValue(leaf, out var index))
        {
            var own = Schema.Find(leaf.Path);
            if (own is null || !own.IsLeaf || !_leafIndex.TryGetValue(own, out index))
                throw new ArgumentException($"column {leaf} is not a leaf of {_name}'s schema", nameof(leaf));
            leaf = own;
        }
        // RLE lets a few bytes stand for many levels, so the bound is generous, but it keeps a forged count
        // from allocating far more than any real file of this size could describe.
        var levelCap = Math.Min(Array.MaxLength, (1L << 20) + 64L * _file.Length);
        var column = ColumnChunkReader.Read(_file, _dataEnd, _name, leaf, group.Columns[index], levelCap);
        CheckRows(column, group.NumRows);
        return column;
    }

    /// <summary>Decodes the leaf at <paramref name="path"/>, or returns null when the file has no such column.</summary>
    public ColumnData? ReadColumn(int rowGroup, params string[] path)
    {
        var node = Schema.Find(path);
        if (node is null)
            return null;
        if (!node.IsLeaf)
            throw new ArgumentException($"{string.Join('.', path)} is a group, not a leaf column", nameof(path));
        return ReadColumn(rowGroup, node);
    }

    public void Dispose() => _disposed = true;

    private RowGroupMeta RowGroup(int rowGroup)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(rowGroup);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rowGroup, _meta.RowGroups.Count);
        return _meta.RowGroups[rowGroup];
    }

    // Every column must describe the row group's rows; record assembly relies on it.
    private void CheckRows(ColumnData column, long rows)
    {
        if (column.RepetitionLevels is { } repetitions && column.Count > 0 && repetitions[0] != 0)
            throw ParquetException.Corrupt(_name, $"column {column.Leaf} does not start with a new row");
        if (column.RowCount() != rows)
            throw ParquetException.Corrupt(_name, $"column {column.Leaf} holds {column.RowCount()} rows, its row group {rows}");
    }
}
