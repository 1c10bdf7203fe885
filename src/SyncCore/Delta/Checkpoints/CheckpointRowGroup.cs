using ReplicaSync.Parquet;

namespace ReplicaSync.Delta;

/// <summary>Assembles the Delta actions of one checkpoint row group; each row holds exactly one action.</summary>
internal sealed class CheckpointRowGroup
{
    private readonly ParquetFileReader _reader;
    private readonly int _group;
    private readonly long _rows;

    public CheckpointRowGroup(ParquetFileReader reader, int group)
    {
        _reader = reader;
        _group = group;
        _rows = reader.GetRowCount(group);
    }

    public IEnumerable<DeltaAction> Actions(CheckpointRead read)
    {
        // Every column set must advance on every row, whichever action the row holds.
        IActionColumns[] columns = read switch
        {
            CheckpointRead.ProtocolAndMetadata => [new MetadataColumns(this), new ProtocolColumns(this)],
            CheckpointRead.Adds => [new AddColumns(this, details: true)],
            _ => [new AddColumns(this, details: false), new RemoveColumns(this), new MetadataColumns(this),
                  new ProtocolColumns(this), new TxnColumns(this), new DomainColumns(this)],
        };
        for (long row = 0; row < _rows; row++)
        {
            DeltaAction? found = null;
            foreach (var set in columns)
                found = set.Next() ?? found;
            if (found is not null)
                yield return found;
        }
    }

    public ScalarCursor Scalar(params string[] path) => new(_reader.ReadColumn(_group, path));

    /// <summary>A MAP&lt;string,string&gt; column pair (keys, values) under <paramref name="path"/>.</summary>
    public (RepeatedCursor Keys, RepeatedCursor Values) Map(params string[] path)
    {
        var node = _reader.Schema.Find(path);
        if (node is null || node.Children.Count != 1 || node.Children[0].Children.Count != 2)
            return (new RepeatedCursor(null, 0), new RepeatedCursor(null, 0));
        var entries = node.Children[0];
        var def = node.MaxDefinitionLevel;
        return (new RepeatedCursor(_reader.ReadColumn(_group, entries.Children[0]), def),
                new RepeatedCursor(_reader.ReadColumn(_group, entries.Children[1]), def));
    }

    /// <summary>A LIST&lt;string&gt; column under <paramref name="path"/> (3-level list/element layout).</summary>
    public RepeatedCursor List(params string[] path)
    {
        var node = _reader.Schema.Find(path);
        if (node is null)
            return new RepeatedCursor(null, 0);
        var leaf = node.Leaves().FirstOrDefault();
        return new RepeatedCursor(leaf is null ? null : _reader.ReadColumn(_group, leaf), node.MaxDefinitionLevel);
    }

    /// <summary>The definition level at which the group at <paramref name="path"/> is non-null.</summary>
    public int DefOf(params string[] path) => _reader.Schema.Find(path)?.MaxDefinitionLevel ?? int.MaxValue;

    public static Dictionary<string, string?>? ReadMap((RepeatedCursor Keys, RepeatedCursor Values) map)
    {
        var count = map.Keys.NextRow();
        map.Values.NextRow();
        if (count < 0)
            return null;
        var result = new Dictionary<string, string?>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = map.Keys.Take();
            var value = map.Values.Take();
            if (key is not null)
                result[key] = value;
        }
        return result;
    }

    public static List<string>? ReadList(RepeatedCursor list)
    {
        var count = list.NextRow();
        if (count < 0)
            return null;
        var result = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            if (list.Take() is { } item)
                result.Add(item);
        }
        return result;
    }
}
