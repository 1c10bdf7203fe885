using Parquet;

namespace ReplicaSync.Delta;

/// <summary>
/// Shreds checkpoint rows into the checkpoint schema's leaf columns, one row per action, until the caller takes
/// them as a row group. The columns of the other action kinds get a null (definition level 0) per row, entered in
/// bulk when the action kind changes and when the row group is written.
/// </summary>
internal sealed class CheckpointRows
{
    private const string MapKeys = ".key_value.key";

    // Builders by (action, path below the action), for the rare actions; file actions resolve theirs once.
    private readonly Dictionary<(string Group, string Field), ColumnBuilder> _columns = [];
    private readonly Dictionary<string, ColumnBuilder[]> _byAction;
    private readonly List<ColumnBuilder> _ordered = [];
    private readonly FileActionBuilders _add, _remove;
    private readonly ColumnBuilder _addModificationTime, _addClusteringProvider, _addStats, _removeDeletionTimestamp, _removeExtendedFileMetadata;
    private string _current = "";

    public CheckpointRows()
    {
        foreach (var leaf in CheckpointSchema.Root.GetDataFields())
        {
            var builder = new ColumnBuilder(leaf);
            _columns[(builder.Action, string.Join('.', leaf.Path.ToList().Skip(1)))] = builder;
            _ordered.Add(builder);
        }
        _byAction = _ordered.GroupBy(c => c.Action).ToDictionary(g => g.Key, g => g.ToArray());
        _add = new FileActionBuilders(field => _columns[("add", field)], field => Map("add", field));
        _remove = new FileActionBuilders(field => _columns[("remove", field)], field => Map("remove", field));
        _addModificationTime = _columns[("add", "modificationTime")];
        _addClusteringProvider = _columns[("add", "clusteringProvider")];
        _addStats = _columns[("add", "stats")];
        _removeDeletionTimestamp = _columns[("remove", "deletionTimestamp")];
        _removeExtendedFileMetadata = _columns[("remove", "extendedFileMetadata")];
    }

    /// <summary>Rows shredded since the last <see cref="WriteRowGroupAsync"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Writes the pending rows as one row group; the builders start empty again.</summary>
    public async Task WriteRowGroupAsync(ParquetWriter writer, CancellationToken ct)
    {
        foreach (var column in _ordered)
        {
            column.PadRows(Count);
            if (column.Rows != Count)
                throw new InvalidOperationException($"checkpoint column {column.Leaf.Path} holds {column.Rows} rows of {Count}");
        }
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

    /// <summary>
    /// Starts a row of <paramref name="group"/>'s action, which fills every one of its columns. When the previous
    /// row held another action, this action's columns first get nulls for the rows in between.
    /// </summary>
    private void Row(string group)
    {
        if (!ReferenceEquals(group, _current))
        {
            foreach (var column in _byAction[group])
                column.PadRows(Count);
            _current = group;
        }
        Count++;
    }

    private ColumnBuilder C(string path) => _columns[(_current, path)];

    private MapBuilders Map(string group, string path) =>
        new(_columns[(group, path + MapKeys)], _columns[(group, path + ".key_value.value")]);

    private void Protocol(Protocol p)
    {
        C("minReaderVersion").Add(p.MinReaderVersion);
        C("minWriterVersion").Add(p.MinWriterVersion);
        List(C("readerFeatures.list.element"), p.ReaderFeatures);
        List(C("writerFeatures.list.element"), p.WriterFeatures);
    }

    private void Metadata(Metadata m)
    {
        C("id").Add(m.Id);
        C("name").Add(m.Name);
        C("description").Add(m.Description);
        C("format.provider").Add(m.Format.Provider);
        Map(_current, "format.options").Add(m.Format.Options);
        C("schemaString").Add(m.SchemaString);
        List(C("partitionColumns.list.element"), m.PartitionColumns);
        Map(_current, "configuration").Add(m.Configuration);
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
        _add.Path.Add(a.Path);
        _add.PartitionValues.Add(a.PartitionValues);
        _add.Size.Add(a.Size);
        _addModificationTime.Add(a.ModificationTime);
        _add.DataChange.Add(a.DataChange);
        _add.Tags.Add(a.Tags);
        _add.DeletionVector(a.DeletionVector);
        _add.BaseRowId.Add(a.BaseRowId);
        _add.DefaultRowCommitVersion.Add(a.DefaultRowCommitVersion);
        _addClusteringProvider.Add(a.ClusteringProvider);
        _addStats.Add(a.Stats);
    }

    // A tombstone in a checkpoint drops stats and tags, as Spark does.
    private void Remove(RemoveFile r)
    {
        _remove.Path.Add(r.Path);
        _removeDeletionTimestamp.Add(r.DeletionTimestamp);
        _remove.DataChange.Add(r.DataChange);
        _removeExtendedFileMetadata.Add(r.ExtendedFileMetadata);
        _remove.PartitionValues.Add(r.PartitionValues);
        _remove.Size.Add(r.Size);
        _remove.Tags.Add(null);
        _remove.DeletionVector(r.DeletionVector);
        _remove.BaseRowId.Add(r.BaseRowId);
        _remove.DefaultRowCommitVersion.Add(r.DefaultRowCommitVersion);
    }

    /// <summary>A LIST of strings (3-level list/element): a null list is an entry two levels above the element, an empty one level above.</summary>
    private static void List(ColumnBuilder elements, List<string>? list)
    {
        var listDef = elements.Leaf.MaxDefinitionLevel - 2;
        if (list is null || list.Count == 0)
        {
            elements.Null(list is null ? listDef - 1 : listDef);
            return;
        }
        for (var i = 0; i < list.Count; i++)
            elements.Add(list[i], i == 0 ? 0 : 1);
    }
}
