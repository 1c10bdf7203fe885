using Parquet;

namespace ReplicaSync.Delta;

/// <summary>
/// Shreds checkpoint rows into the checkpoint schema's leaf columns, one row per action, until the caller takes
/// them as a row group. Every column of the other action kinds gets a null (definition level 0).
/// </summary>
internal sealed class CheckpointRows
{
    private const string MapKeys = ".key_value.key";

    // Builders by (action, path below the action), resolved without building a string per field and row.
    private readonly Dictionary<(string Group, string Field), ColumnBuilder> _columns = [];
    private readonly Dictionary<(string Group, string Field), (ColumnBuilder Keys, ColumnBuilder Values)> _maps = [];
    private readonly List<ColumnBuilder> _ordered = [];
    private string _current = "";

    public CheckpointRows()
    {
        foreach (var leaf in CheckpointSchema.Root.GetDataFields())
        {
            var builder = new ColumnBuilder(leaf);
            _columns[(builder.Action, string.Join('.', leaf.Path.ToList().Skip(1)))] = builder;
            _ordered.Add(builder);
        }
        foreach (var ((group, field), keys) in _columns)
        {
            if (field.EndsWith(MapKeys, StringComparison.Ordinal))
                _maps[(group, field[..^MapKeys.Length])] = (keys, _columns[(group, field[..^"key".Length] + "value")]);
        }
    }

    /// <summary>Rows shredded since the last <see cref="WriteRowGroupAsync"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Writes the pending rows as one row group; the builders start empty again.</summary>
    public async Task WriteRowGroupAsync(ParquetWriter writer, CancellationToken ct)
    {
        using (var group = writer.CreateRowGroup())
        {
            foreach (var column in _ordered)
                await column.WriteAsync(group, ct);
            group.CompleteValidate();
        }
        foreach (var column in _ordered)
            column.Clear();
        Count = 0;
    }

    public void Add(Protocol protocol) { Row("protocol"); Protocol(protocol); }
    public void Add(Metadata metadata) { Row("metaData"); Metadata(metadata); }
    public void Add(SetTransaction txn) { Row("txn"); Txn(txn); }
    public void Add(DomainMetadata domain) { Row("domainMetadata"); Domain(domain); }
    public void Add(AddFile add) { Row("add"); AddRow(add); }
    public void Add(RemoveFile remove) { Row("remove"); Remove(remove); }

    /// <summary>Starts a row of <paramref name="group"/>'s action: every column of the other actions gets a null.</summary>
    private void Row(string group)
    {
        _current = group;
        foreach (var column in _ordered)
        {
            if (column.Action != group)
                column.Null(0);
        }
        Count++;
    }

    private ColumnBuilder C(string path) => _columns[(_current, path)];

    private void Protocol(Protocol p)
    {
        C("minReaderVersion").Add(p.MinReaderVersion);
        C("minWriterVersion").Add(p.MinWriterVersion);
        List(C("readerFeatures.list.element"), p.ReaderFeatures, listDef: 2);
        List(C("writerFeatures.list.element"), p.WriterFeatures, listDef: 2);
    }

    private void Metadata(Metadata m)
    {
        C("id").Add(m.Id);
        C("name").Add(m.Name);
        C("description").Add(m.Description);
        C("format.provider").Add(m.Format.Provider);
        Map("format.options", m.Format.Options, mapDef: 3);
        C("schemaString").Add(m.SchemaString);
        List(C("partitionColumns.list.element"), m.PartitionColumns, listDef: 2);
        Map("configuration", m.Configuration, mapDef: 2);
        C("createdTime").Add(m.CreatedTime);
    }

    private void Txn(SetTransaction t)
    {
        C("appId").Add(t.AppId);
        C("version").Add(t.Version);
        C("lastUpdated").Add(t.LastUpdated);
    }

    private void Domain(DomainMetadata d)
    {
        C("domain").Add(d.Domain);
        C("configuration").Add(d.Configuration);
        C("removed").Add(d.Removed);
    }

    private void AddRow(AddFile a)
    {
        C("path").Add(a.Path);
        Map("partitionValues", a.PartitionValues, mapDef: 2);
        C("size").Add(a.Size);
        C("modificationTime").Add(a.ModificationTime);
        C("dataChange").Add(a.DataChange);
        Map("tags", a.Tags, mapDef: 2);
        DeletionVector(a.DeletionVector);
        C("baseRowId").Add(a.BaseRowId);
        C("defaultRowCommitVersion").Add(a.DefaultRowCommitVersion);
        C("clusteringProvider").Add(a.ClusteringProvider);
        C("stats").Add(a.Stats);
    }

    // A tombstone in a checkpoint drops stats and tags, as Spark does.
    private void Remove(RemoveFile r)
    {
        C("path").Add(r.Path);
        C("deletionTimestamp").Add(r.DeletionTimestamp);
        C("dataChange").Add(r.DataChange);
        C("extendedFileMetadata").Add(r.ExtendedFileMetadata);
        Map("partitionValues", r.PartitionValues, mapDef: 2);
        C("size").Add(r.Size);
        Map("tags", null, mapDef: 2);
        DeletionVector(r.DeletionVector);
        C("baseRowId").Add(r.BaseRowId);
        C("defaultRowCommitVersion").Add(r.DefaultRowCommitVersion);
    }

    private static readonly string[] DeletionVectorFields =
        ["deletionVector.storageType", "deletionVector.pathOrInlineDv", "deletionVector.offset", "deletionVector.sizeInBytes", "deletionVector.cardinality"];

    private void DeletionVector(DeletionVectorDescriptor? dv)
    {
        if (dv is null)
        {
            foreach (var field in DeletionVectorFields)
                C(field).Null(1);
            return;
        }
        C("deletionVector.storageType").Add(dv.StorageType);
        C("deletionVector.pathOrInlineDv").Add(dv.PathOrInlineDv);
        C("deletionVector.offset").Add(dv.Offset);
        C("deletionVector.sizeInBytes").Add(dv.SizeInBytes);
        C("deletionVector.cardinality").Add(dv.Cardinality);
    }

    /// <summary>A MAP whose own definition level is <paramref name="mapDef"/> (null map: one entry below it; empty: at it).</summary>
    private void Map(string path, IReadOnlyDictionary<string, string?>? map, int mapDef)
    {
        var (keys, values) = _maps[(_current, path)];
        if (map is null || map.Count == 0)
        {
            keys.Null(map is null ? mapDef - 1 : mapDef);
            values.Null(map is null ? mapDef - 1 : mapDef);
            return;
        }
        var rep = 0;
        foreach (var (key, value) in map)
        {
            keys.Add(key, rep);
            values.Add(value, rep);
            rep = 1;
        }
    }

    private static void List(ColumnBuilder elements, IReadOnlyList<string>? list, int listDef)
    {
        if (list is null || list.Count == 0)
        {
            elements.Null(list is null ? listDef - 1 : listDef);
            return;
        }
        for (var i = 0; i < list.Count; i++)
            elements.Add(list[i], i == 0 ? 0 : 1);
    }
}
