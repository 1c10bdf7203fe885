namespace ReplicaSync.Parquet;

/// <summary>
/// Recognises MAP and LIST groups, including the legacy forms old writers produced, so that records are
/// assembled and shredded the same way.
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
}
