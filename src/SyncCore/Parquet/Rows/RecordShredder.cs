using System.Collections;

namespace ReplicaSync.Parquet;

/// <summary>
/// Splits nested records into leaf columns with definition and repetition levels (the Dremel shredding), the
/// inverse of <see cref="RecordAssembler"/>. Slow path for tests and small files.
/// </summary>
internal sealed class RecordShredder
{
    private readonly Dictionary<SchemaNode, (int First, int Count)> _leafRanges;
    private readonly LeafBuilder[] _builders;

    private RecordShredder(SchemaNode root)
    {
        _builders = [.. root.Leaves().Select(leaf => new LeafBuilder(leaf))];
        _leafRanges = NestedShapes.LeafRanges(root);
    }

    public static ColumnData[] Shred(SchemaNode root, IReadOnlyList<Dictionary<string, object?>> rows)
    {
        var shredder = new RecordShredder(root);
        foreach (var row in rows)
            shredder.ShredGroup(root, row, 0, 0);
        return [.. shredder._builders.Select(b => b.Build())];
    }

    private void ShredInstance(SchemaNode node, object? value, int repetition, int definition)
    {
        if (node.Repetition == Repetition.Repeated)
        {
            List<object?> items = value is null ? [] : AsList(node, value);
            if (items.Count == 0)
            {
                EmitNull(node, repetition, definition);
                return;
            }
            for (var i = 0; i < items.Count; i++)
                ShredPresent(node, items[i], i == 0 ? repetition : node.MaxRepetitionLevel);
            return;
        }
        if (value is null)
        {
            if (node.Repetition == Repetition.Required)
                throw new ArgumentException($"required field {node} is null");
            EmitNull(node, repetition, definition);
            return;
        }
        ShredPresent(node, value, repetition);
    }

    private void ShredPresent(SchemaNode node, object? value, int repetition)
    {
        var definition = node.MaxDefinitionLevel;
        if (node.IsLeaf)
        {
            if (value is null)
                throw new ArgumentException($"element of repeated field {node} is null");
            _builders[_leafRanges[node].First].Add(repetition, definition, value);
        }
        else if (NestedShapes.IsMap(node))
        {
            var pairs = node.Children[0];
            var entries = new List<object?>();
            foreach (var (key, item) in AsEntries(node, value!))
            {
                var entry = new Dictionary<string, object?>(StringComparer.Ordinal) { [pairs.Children[0].Name] = key };
                if (pairs.Children.Count > 1)
                    entry[pairs.Children[1].Name] = item;
                entries.Add(entry);
            }
            ShredInstance(pairs, entries, repetition, definition);
        }
        else if (NestedShapes.IsList(node))
        {
            var items = AsList(node, value!);
            if (NestedShapes.WrapsElement(node))
            {
                var element = node.Children[0].Children[0].Name;
                items = [.. items.Select(item => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { [element] = item })];
            }
            ShredInstance(node.Children[0], items, repetition, definition);
        }
        else
        {
            ShredGroup(node, value!, repetition, definition);
        }
    }

    private void ShredGroup(SchemaNode node, object value, int repetition, int definition)
    {
        if (value is not IDictionary<string, object?> record)
            throw new ArgumentException($"group {(node.Path.Length == 0 ? "row" : node.ToString())} needs a Dictionary<string, object?>, got {value.GetType().Name}");
        foreach (var key in record.Keys)
        {
            if (node.Find(key) is null)
                throw new ArgumentException($"field '{key}' is not in the schema of {(node.Path.Length == 0 ? "the row" : node.ToString())}");
        }
        foreach (var child in node.Children)
            ShredInstance(child, record.TryGetValue(child.Name, out var v) ? v : null, repetition, definition);
    }

    private void EmitNull(SchemaNode node, int repetition, int definition)
    {
        var (first, count) = _leafRanges[node];
        foreach (var leaf in _builders.AsSpan(first, count))
            leaf.AddNull(repetition, definition);
    }

    private static List<object?> AsList(SchemaNode node, object value) => value switch
    {
        string or byte[] => throw new ArgumentException($"field {node} needs a list, got {value.GetType().Name}"),
        IEnumerable items => [.. items.Cast<object?>()],
        _ => throw new ArgumentException($"field {node} needs a list, got {value.GetType().Name}"),
    };

    private static IEnumerable<(object? Key, object? Value)> AsEntries(SchemaNode node, object value) => value switch
    {
        IDictionary dictionary => dictionary.Cast<DictionaryEntry>().Select(e => ((object?)e.Key, e.Value)),
        IEnumerable<KeyValuePair<object?, object?>> pairs => pairs.Select(p => (p.Key, p.Value)),
        IEnumerable<KeyValuePair<string, string?>> pairs => pairs.Select(p => ((object?)p.Key, (object?)p.Value)),
        _ => throw new ArgumentException($"map {node} needs a dictionary or key/value pairs, got {value.GetType().Name}"),
    };
}
