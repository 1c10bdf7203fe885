using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace ReplicaSync.Delta;

/// <summary>
/// Assembles the Delta actions of one checkpoint row group; each row holds exactly one action. The action column
/// sets ask for their leaves first, then the leaves are decoded together and the rows walked.
/// </summary>
internal sealed class CheckpointRowGroup(ParquetReader reader, int group, string file, long sizeLimit)
{
    private readonly List<LeafCursor> _cursors = [];

    public async IAsyncEnumerable<DeltaAction> ActionsAsync(CheckpointRead read, [EnumeratorCancellation] CancellationToken ct)
    {
        // Every column set must advance on every row, whichever action the row holds.
        IActionColumns[] columns = read switch
        {
            CheckpointRead.ProtocolAndMetadata => [new MetadataColumns(this), new ProtocolColumns(this)],
            CheckpointRead.Adds => [new AddColumns(this, details: true)],
            _ => [new AddColumns(this, details: false), new RemoveColumns(this), new MetadataColumns(this),
                  new ProtocolColumns(this), new TxnColumns(this), new DomainColumns(this)],
        };
        var rowGroup = reader.OpenRowGroupReader(group);
        try
        {
            foreach (var cursor in _cursors)
            {
                if (cursor.Leaf is { } leaf)
                    cursor.Data = await LeafColumn.ReadAsync(rowGroup, leaf, file, sizeLimit, ct);
            }
            for (long row = 0; row < rowGroup.RowCount; row++)
            {
                DeltaAction? found = null;
                foreach (var set in columns)
                    found = set.Next() ?? found;
                if (found is not null)
                    yield return found;
            }
        }
        finally
        {
            foreach (var cursor in _cursors)
                cursor.Data?.Dispose();
        }
    }

    public ScalarCursor Scalar(params string[] path) => Track(new ScalarCursor(Find(path) as DataField));

    /// <summary>A MAP&lt;string,string&gt; column pair (keys, values) under <paramref name="path"/>.</summary>
    public (RepeatedCursor Keys, RepeatedCursor Values) Map(params string[] path)
    {
        if (Find(path) is not MapField { Key: DataField key, Value: DataField value } map)
            return (new RepeatedCursor(null, 0), new RepeatedCursor(null, 0));
        var def = map.MaxDefinitionLevel - 1;
        return (Track(new RepeatedCursor(key, def)), Track(new RepeatedCursor(value, def)));
    }

    /// <summary>A LIST&lt;string&gt; column under <paramref name="path"/> (3-level list/element layout).</summary>
    public RepeatedCursor List(params string[] path) =>
        Find(path) is ListField { Item: DataField element } list
            ? Track(new RepeatedCursor(element, list.MaxDefinitionLevel - 1))
            : new RepeatedCursor(null, 0);

    /// <summary>The definition level at which the group at <paramref name="path"/> is non-null.</summary>
    public int DefOf(params string[] path) => Find(path)?.MaxDefinitionLevel ?? int.MaxValue;

    private Field? Find(string[] path) => CheckpointSchema.Find(reader.Schema, path);

    private T Track<T>(T cursor) where T : LeafCursor
    {
        _cursors.Add(cursor);
        return cursor;
    }

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
