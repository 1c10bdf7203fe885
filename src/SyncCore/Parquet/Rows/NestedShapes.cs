namespace ReplicaSync.Parquet;

/// <summary>
/// Recognises MAP and LIST groups, including the legacy forms old writers produced, and indexes the leaves under
/// each node, so that records are assembled and shredded the same way.
/// </summary>
internal static class NestedShapes
{
    /// <summary>A MAP (or legacy MAP_KEY_VALUE) group: one repeated group child holding key and maybe value.</summary>
    public static bool IsMap(SchemaNode node) =>
        node.Logical is LogicalKind.Map or LogicalKind.MapKeyValue
        && node.Children is [{ IsLeaf: false, Repetition: Repetition.Repeated, Children.Count: 1 or 2 }];

    /// <summary>A LIST group: one repeated child, which holds the element (3-level) or is the element (2-level).</summary>
    public static bool IsList(SchemaNode node) =>
        node.Logical == LogicalKind.List && node.Children is [{ Repetition: Repetition.Repeated }];

    /// <summary>
    /// Whether the list's repeated child wraps the element (standard <c>list/element</c>) rather than being it.
    /// Following the format's backward-compatibility rules, a repeated leaf, a repeated group with several fields,
    /// and a single-field group named "array" or "&lt;list&gt;_tuple" are the element themselves.
    /// </summary>
    public static bool WrapsElement(SchemaNode list)
    {
        var repeated = list.Children[0];
        return !repeated.IsLeaf && repeated.Children.Count == 1 && repeated.Name != "array" && repeated.Name != list.Name + "_tuple";
    }

    /// <summary>
    /// For every node under <paramref name="root"/> (itself included), the range of leaf indices (schema order)
    /// beneath it: a leaf's is itself; a group's spans its descendants' leaves.
    /// </summary>
    public static Dictionary<SchemaNode, (int First, int Count)> LeafRanges(SchemaNode root)
    {
        var ranges = new Dictionary<SchemaNode, (int First, int Count)>(ReferenceEqualityComparer.Instance);
        var next = 0;
        Add(root, ref next);
        return ranges;

        void Add(SchemaNode node, ref int next)
        {
            var first = next;
            if (node.IsLeaf)
                next++;
            foreach (var child in node.Children)
                Add(child, ref next);
            ranges[node] = (first, next - first);
        }
    }
}
