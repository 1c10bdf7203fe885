namespace ReplicaSync.Parquet;

/// <summary>
/// Writes a Parquet file row group by row group; <see cref="Dispose"/> writes the footer. The output stream is
/// written sequentially (it need not seek) and is left open.
/// </summary>
public sealed class ParquetFileWriter : IDisposable
{
    // Below this many level entries a row group is encoded on one thread; above, columns are encoded in parallel.
    private const int ParallelThreshold = 64 * 1024;

    private readonly Stream _output;
    private readonly SchemaNode _schema;
    private readonly SchemaNode[] _leaves;
    private readonly ParquetWriteOptions _options;
    private readonly List<RowGroupMeta> _rowGroups = [];
    private long _position;
    private long _rows;
    private bool _disposed;

    public ParquetFileWriter(Stream output, SchemaNode schema, ParquetWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        _output = output;
        _schema = schema;
        _options = options ?? new ParquetWriteOptions();
        if (_options.DataPageSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), "DataPageSize must be positive");
        if (!Enum.IsDefined(_options.Codec))
            throw new ArgumentOutOfRangeException(nameof(options), $"unknown codec {_options.Codec}");
        if (schema.IsLeaf)
            throw new ArgumentException("the schema root must be a group", nameof(schema));
        _leaves = [.. schema.Leaves()];
        if (_leaves.Length == 0)
            throw new ArgumentException("the schema has no columns", nameof(schema));
        Write("PAR1"u8);
    }

    /// <summary>
    /// Writes one row group: one column per schema leaf, in leaf order, all describing the same rows.
    /// Every column is validated before anything is written. A row group without rows is skipped.
    /// </summary>
    public void WriteRowGroup(IReadOnlyList<ColumnData> columns)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count != _leaves.Length)
            throw new ArgumentException($"{columns.Count} columns for a schema of {_leaves.Length} leaves", nameof(columns));
        var rows = -1;
        long entries = 0;
        for (var i = 0; i < columns.Count; i++)
        {
            var columnRows = ColumnValidator.Validate(columns[i], _leaves[i]);
            if (rows >= 0 && columnRows != rows)
                throw new ArgumentException($"column {_leaves[i]} has {columnRows} rows, column {_leaves[0]} {rows}", nameof(columns));
            rows = columnRows;
            entries += columns[i].Count;
        }
        if (rows == 0)
            return;

        var chunks = new ColumnChunkWriter[columns.Count];
        try
        {
            if (entries >= ParallelThreshold && Environment.ProcessorCount > 1)
                Parallel.For(0, columns.Count, i => chunks[i] = ColumnChunkWriter.Encode(columns[i], _options));
            else
                for (var i = 0; i < columns.Count; i++)
                    chunks[i] = ColumnChunkWriter.Encode(columns[i], _options);

            var group = new RowGroupMeta { NumRows = rows };
            foreach (var chunk in chunks)
            {
                var meta = chunk.Meta;
                var start = _position;
                meta.DataPageOffset += start;
                if (meta.DictionaryPageOffset is { } dictionaryOffset)
                    meta.DictionaryPageOffset = dictionaryOffset + start;
                Write(chunk.Output.WrittenSpan);
                group.Columns.Add(new ColumnChunkMeta { FileOffset = start, Meta = meta });
                group.TotalByteSize += meta.TotalUncompressedSize;
            }
            _rowGroups.Add(group);
            _rows += rows;
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        finally
        {
            foreach (var chunk in chunks)
                chunk?.Dispose();
        }
    }

    /// <summary>Writes the footer (schema, row groups, key/value metadata) and the closing magic. The stream stays open.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        var meta = new FileMetaData
        {
            Version = 1,
            Schema = SchemaConverter.ToElements(_schema),
            NumRows = _rows,
            RowGroups = _rowGroups,
            CreatedBy = _options.CreatedBy,
        };
        if (_options.KeyValueMetadata is { } keyValues)
        {
            foreach (var (key, value) in keyValues)
                meta.KeyValues[key] = value;
        }
        using var footer = new PooledBuffer(16 * 1024);
        MetadataWriter.WriteFileMetaData(new CompactWriter(footer), meta, _leaves.Length);
        Write(footer.WrittenSpan);
        Span<byte> tail = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(tail, footer.Length);
        "PAR1"u8.CopyTo(tail[4..]);
        Write(tail);
        _output.Flush();
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        _position += bytes.Length;
    }
}
