namespace ReplicaSync.Delta;

/// <summary>The <c>metaData</c> columns of a checkpoint.</summary>
internal sealed class MetadataColumns(CheckpointRowGroup group) : IActionColumns
{
    private readonly ScalarCursor _id = group.Scalar("metaData", "id"), _name = group.Scalar("metaData", "name"),
        _description = group.Scalar("metaData", "description"), _provider = group.Scalar("metaData", "format", "provider"),
        _schema = group.Scalar("metaData", "schemaString"), _created = group.Scalar("metaData", "createdTime");
    private readonly (RepeatedCursor, RepeatedCursor) _options = group.Map("metaData", "format", "options"),
        _configuration = group.Map("metaData", "configuration");
    private readonly RepeatedCursor _partitionColumns = group.List("metaData", "partitionColumns");

    public DeltaAction? Next()
    {
        foreach (var c in (ReadOnlySpan<ScalarCursor>)[_id, _name, _description, _provider, _schema, _created])
            c.Next();
        var options = CheckpointRowGroup.ReadMap(_options);
        var configuration = CheckpointRowGroup.ReadMap(_configuration);
        var partitionColumns = CheckpointRowGroup.ReadList(_partitionColumns);
        if (!_id.HasValue)
            return null;
        return new Metadata
        {
            Id = _id.String!, Name = _name.String, Description = _description.String,
            Format = new FileFormat { Provider = _provider.String ?? "parquet", Options = options ?? [] },
            SchemaString = _schema.String ?? "", PartitionColumns = partitionColumns ?? [], Configuration = configuration ?? [],
            CreatedTime = _created.Int64,
        };
    }
}

/// <summary>The <c>protocol</c> columns of a checkpoint.</summary>
internal sealed class ProtocolColumns(CheckpointRowGroup group) : IActionColumns
{
    private readonly ScalarCursor _reader = group.Scalar("protocol", "minReaderVersion"), _writer = group.Scalar("protocol", "minWriterVersion");
    private readonly RepeatedCursor _readerFeatures = group.List("protocol", "readerFeatures"), _writerFeatures = group.List("protocol", "writerFeatures");

    public DeltaAction? Next()
    {
        _reader.Next();
        _writer.Next();
        var readerFeatures = CheckpointRowGroup.ReadList(_readerFeatures);
        var writerFeatures = CheckpointRowGroup.ReadList(_writerFeatures);
        if (!_reader.HasValue)
            return null;
        return new Protocol
        {
            MinReaderVersion = _reader.Int32!.Value, MinWriterVersion = _writer.Int32 ?? 0,
            ReaderFeatures = readerFeatures, WriterFeatures = writerFeatures,
        };
    }
}

/// <summary>The <c>txn</c> columns of a checkpoint.</summary>
internal sealed class TxnColumns(CheckpointRowGroup group) : IActionColumns
{
    private readonly ScalarCursor _appId = group.Scalar("txn", "appId"), _version = group.Scalar("txn", "version"),
        _lastUpdated = group.Scalar("txn", "lastUpdated");

    public DeltaAction? Next()
    {
        _appId.Next();
        _version.Next();
        _lastUpdated.Next();
        return _appId.HasValue
            ? new SetTransaction { AppId = _appId.String!, Version = _version.Int64 ?? 0, LastUpdated = _lastUpdated.Int64 }
            : null;
    }
}

/// <summary>The <c>domainMetadata</c> columns of a checkpoint.</summary>
internal sealed class DomainColumns(CheckpointRowGroup group) : IActionColumns
{
    private readonly ScalarCursor _domain = group.Scalar("domainMetadata", "domain"),
        _configuration = group.Scalar("domainMetadata", "configuration"), _removed = group.Scalar("domainMetadata", "removed");

    public DeltaAction? Next()
    {
        _domain.Next();
        _configuration.Next();
        _removed.Next();
        return _domain.HasValue
            ? new DomainMetadata { Domain = _domain.String!, Configuration = _configuration.String ?? "", Removed = _removed.Boolean ?? false }
            : null;
    }
}
