namespace ReplicaSync.Parquet;

/// <summary>
/// Rebuilds nested records from the leaf columns of one row group (the Dremel assembly). Slow path: every value is
/// boxed into dictionaries and lists. Each step consumes at least one level entry, so corrupt levels end in a
/// <see cref="ParquetException"/> rather than a loop.
/// </summary>
internal sealed class RecordAssembler
{
    private readonly string _file;
    private readonly ColumnData[] _columns;
    private readonly int[] _entry;
    private readonly int[] _value;
    private readonly Dictionary<SchemaNode, (int First, int Count)> _leafRanges;

    private RecordAssembler(string file, SchemaNode root, ColumnData[] columns)
    {
        _file = file;
        _columns = columns;
        _entry = new int[columns.Length];
        _value = new int[columns.Length];
        _leafRanges = NestedShapes.LeafRanges(root);
    }

    public static void Assemble(string file, SchemaNode root, ColumnData[] columns, long rows, List<Dictionary<string, object?>> into)
    {
        var assembler = new RecordAssembler(file, root, columns);
        for (var row = 0L; row < rows; row++)
        {
            var record = new Dictionary<string, object?>(root.Children.Count, StringComparer.Ordinal);
            foreach (var child in root.Children)
                record[child.Name] = assembler.ReadInstance(child);
            into.Add(record);
        }
        for (var i = 0; i < columns.Length; i++)
        {
            if (assembler._entry[i] != columns[i].Count || assembler._value[i] != columns[i].ValueCount)
                throw ParquetException.Corrupt(file, $"column {columns[i].Leaf} has entries left over after {rows} rows");
        }
    }

    private object? ReadInstance(SchemaNode node)
    {
        var driver = _leafRanges[node].First;
        if (node.Repetition == Repetition.Repeated)
        {
            var items = new List<object?>();
            if (DefinitionLevel(driver) < node.MaxDefinitionLevel)
            {
                Skip(node);
                return items;
            }
            do
            {
                items.Add(ReadPresent(node));
            }
            while (_entry[driver] < _columns[driver].Count && RepetitionLevel(driver) == node.MaxRepetitionLevel);
            return items;
        }
        if (node.Repetition == Repetition.Optional && DefinitionLevel(driver) < node.MaxDefinitionLevel)
        {
            Skip(node);
            return null;
        }
        return ReadPresent(node);
    }

    private object? ReadPresent(SchemaNode node)
    {
        if (node.IsLeaf)
            return ReadValue(_leafRanges[node].First);
        if (NestedShapes.IsMap(node))
        {
            var pairs = node.Children[0];
            var entries = (List<object?>)ReadInstance(pairs)!;
            var map = new List<KeyValuePair<object?, object?>>(entries.Count);
            foreach (var item in entries)
            {
                var entry = (Dictionary<string, object?>)item!;
                map.Add(new(entry[pairs.Children[0].Name], pairs.Children.Count > 1 ? entry[pairs.Children[1].Name] : null));
            }
            return map;
        }
        if (NestedShapes.IsList(node))
        {
            var items = (List<object?>)ReadInstance(node.Children[0])!;
            if (NestedShapes.WrapsElement(node))
            {
                var element = node.Children[0].Children[0].Name;
                for (var i = 0; i < items.Count; i++)
                    items[i] = ((Dictionary<string, object?>)items[i]!)[element];
            }
            return items;
        }
        var record = new Dictionary<string, object?>(node.Children.Count, StringComparer.Ordinal);
        foreach (var child in node.Children)
            record[child.Name] = ReadInstance(child);
        return record;
    }

    private object? ReadValue(int leaf)
    {
        var column = _columns[leaf];
        CheckEntry(leaf);
        if (DefinitionLevel(leaf) != column.Leaf.MaxDefinitionLevel)
            throw ParquetException.Corrupt(_file, $"column {column.Leaf} has a null where its schema requires a value");
        var index = _value[leaf]++;
        _entry[leaf]++;
        if (index >= column.ValueCount)
            throw ParquetException.Corrupt(_file, $"column {column.Leaf} has fewer values than its levels announce");
        if (column.Booleans is { } booleans) return booleans[index];
        if (column.Int32s is { } ints) return ints[index];
        if (column.Int64s is { } longs) return longs[index];
        if (column.Floats is { } floats) return floats[index];
        if (column.Doubles is { } doubles) return doubles[index];
        if (column.Strings is { } strings) return strings[index];
        return column.Binaries![index];
    }

    private void Skip(SchemaNode node)
    {
        var (first, count) = _leafRanges[node];
        for (var leaf = first; leaf < first + count; leaf++)
        {
            CheckEntry(leaf);
            _entry[leaf]++;
        }
    }

    private int DefinitionLevel(int leaf)
    {
        CheckEntry(leaf);
        return _columns[leaf].DefinitionLevels is { } levels ? levels[_entry[leaf]] : 0;
    }

    private int RepetitionLevel(int leaf) => _columns[leaf].RepetitionLevels is { } levels ? levels[_entry[leaf]] : 0;

    private void CheckEntry(int leaf)
    {
        if (_entry[leaf] >= _columns[leaf].Count)
            throw ParquetException.Corrupt(_file, $"column {_columns[leaf].Leaf} has fewer entries than its row group's rows need");
    }
}
