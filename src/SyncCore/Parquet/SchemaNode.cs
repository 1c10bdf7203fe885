namespace ReplicaSync.Parquet;

/// <summary>
/// One node of a Parquet schema tree: a group (struct, map, list) or a leaf column. The root is a group
/// (named "schema" or "spark_schema" by convention) whose repetition is ignored.
/// </summary>
/// <remarks>
/// A node belongs to the last group it was placed in: <see cref="Group"/> adopts its children and recomputes
/// <see cref="Path"/> and the levels of the whole subtree as if the new group were the root, so they are right
/// once the tree is complete. Build a tree bottom-up and do not share nodes between trees.
/// </remarks>
public sealed class SchemaNode
{
    private SchemaNode[] _children = [];

    private SchemaNode(string name, Repetition repetition, PhysicalType? type, LogicalKind logical)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Repetition = repetition;
        Type = type;
        Logical = logical;
    }

    public string Name { get; }
    public Repetition Repetition { get; }

    /// <summary>The physical type of a leaf; null for groups.</summary>
    public PhysicalType? Type { get; }

    public LogicalKind Logical { get; }
    public IReadOnlyList<SchemaNode> Children => _children;
    public bool IsLeaf => Type is not null;

    /// <summary>The number of optional or repeated nodes from the root's children down to this node.</summary>
    public int MaxDefinitionLevel { get; private set; }

    /// <summary>The number of repeated nodes from the root's children down to this node.</summary>
    public int MaxRepetitionLevel { get; private set; }

    /// <summary>Names from the root's child down to this node; empty for the root.</summary>
    public string[] Path { get; private set; } = [];

    /// <summary>Byte length of each FixedLenByteArray value; 0 otherwise.</summary>
    public int TypeLength { get; private init; }

    /// <summary>Decimal precision (total digits); 0 unless <see cref="Logical"/> is Decimal.</summary>
    public int Precision { get; private init; }

    /// <summary>Decimal scale (digits after the point); 0 unless <see cref="Logical"/> is Decimal.</summary>
    public int Scale { get; private init; }

    /// <summary>For timestamps: true for instants (UTC-normalised), false for local date-times (Delta's timestamp_ntz).</summary>
    public bool IsAdjustedToUtc { get; private init; } = true;

    /// <summary>The Parquet field id, when the file has one (Delta column mapping uses it).</summary>
    public int? FieldId { get; internal init; }

    public static SchemaNode Group(string name, Repetition repetition, params SchemaNode[] children) =>
        Group(name, repetition, LogicalKind.None, children);

    /// <summary>A group with an annotation (Map, List, MapKeyValue); the map and list factories are easier to use.</summary>
    public static SchemaNode Group(string name, Repetition repetition, LogicalKind logical, params SchemaNode[] children)
    {
        var group = new SchemaNode(name, repetition, null, logical) { _children = [.. children] };
        group.Rebase(0, 0, []);
        return group;
    }

    public static SchemaNode Leaf(string name, Repetition repetition, PhysicalType type, LogicalKind logical = LogicalKind.None)
    {
        if (type == PhysicalType.FixedLenByteArray)
            throw new ArgumentException("use SchemaNode.FixedLenByteArray, which takes the value length", nameof(type));
        return new SchemaNode(name, repetition, type, logical);
    }

    public static SchemaNode FixedLenByteArray(string name, Repetition repetition, int length, LogicalKind logical = LogicalKind.None)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return new SchemaNode(name, repetition, PhysicalType.FixedLenByteArray, logical) { TypeLength = length };
    }

    /// <summary>A decimal stored as Int32 (precision ≤ 9), Int64 (≤ 18) or FixedLenByteArray of <paramref name="typeLength"/> bytes.</summary>
    public static SchemaNode Decimal(string name, Repetition repetition, PhysicalType type, int precision, int scale, int typeLength = 0)
    {
        if (type is not (PhysicalType.Int32 or PhysicalType.Int64 or PhysicalType.FixedLenByteArray or PhysicalType.ByteArray))
            throw new ArgumentException($"a decimal cannot be stored as {type}", nameof(type));
        if (precision <= 0 || scale < 0 || scale > precision)
            throw new ArgumentException($"invalid decimal precision {precision} and scale {scale}");
        if ((type == PhysicalType.FixedLenByteArray) != (typeLength > 0))
            throw new ArgumentException("typeLength is required for FixedLenByteArray decimals and only for them", nameof(typeLength));
        return new SchemaNode(name, repetition, type, LogicalKind.Decimal) { Precision = precision, Scale = scale, TypeLength = typeLength };
    }

    /// <summary>An Int64 timestamp; <paramref name="unit"/> is TimestampMillis, TimestampMicros or TimestampNanos.</summary>
    public static SchemaNode Timestamp(string name, Repetition repetition, LogicalKind unit, bool isAdjustedToUtc = true)
    {
        if (unit is not (LogicalKind.TimestampMillis or LogicalKind.TimestampMicros or LogicalKind.TimestampNanos))
            throw new ArgumentException($"{unit} is not a timestamp unit", nameof(unit));
        return new SchemaNode(name, repetition, PhysicalType.Int64, unit) { IsAdjustedToUtc = isAdjustedToUtc };
    }

    /// <summary>A MAP in the standard three-level form: <c>name (MAP) { repeated group key_value { key; value } }</c>.</summary>
    public static SchemaNode Map(string name, Repetition repetition, SchemaNode key, SchemaNode value)
    {
        if (key.Repetition != Repetition.Required)
            throw new ArgumentException("map keys must be required", nameof(key));
        return Group(name, repetition, LogicalKind.Map, Group("key_value", Repetition.Repeated, key, value));
    }

    /// <summary>A LIST in the standard three-level form: <c>name (LIST) { repeated group list { element } }</c>.</summary>
    public static SchemaNode List(string name, Repetition repetition, SchemaNode element) =>
        Group(name, repetition, LogicalKind.List, Group("list", Repetition.Repeated, element));

    /// <summary>Leaf columns in schema order, which is the order of column chunks in a row group.</summary>
    public IEnumerable<SchemaNode> Leaves()
    {
        if (IsLeaf)
        {
            yield return this;
            yield break;
        }
        foreach (var child in _children)
        {
            foreach (var leaf in child.Leaves())
                yield return leaf;
        }
    }

    /// <summary>The descendant at <paramref name="path"/> (names from this node's children down), or null.</summary>
    public SchemaNode? Find(params string[] path)
    {
        var node = this;
        foreach (var name in path)
        {
            SchemaNode? next = null;
            foreach (var child in node._children)
            {
                if (child.Name == name)
                {
                    next = child;
                    break;
                }
            }
            if (next is null)
                return null;
            node = next;
        }
        return node;
    }

    internal static SchemaNode FromFile(string name, Repetition repetition, PhysicalType? type, LogicalKind logical,
        int typeLength, int precision, int scale, bool isAdjustedToUtc, int? fieldId, SchemaNode[]? children)
    {
        var node = new SchemaNode(name, repetition, type, logical)
        {
            TypeLength = typeLength,
            Precision = precision,
            Scale = scale,
            IsAdjustedToUtc = isAdjustedToUtc,
            FieldId = fieldId,
        };
        if (children is not null)
        {
            node._children = children;
            node.Rebase(0, 0, []);
        }
        return node;
    }

    public override string ToString() => Path.Length == 0 ? Name : string.Join('.', Path);

    // Levels count the optional and repeated nodes below the root; the node this is called on acts as the root.
    private void Rebase(int definition, int repetition, string[] path)
    {
        foreach (var child in _children)
        {
            child.Path = [.. path, child.Name];
            child.MaxDefinitionLevel = definition + (child.Repetition == Repetition.Required ? 0 : 1);
            child.MaxRepetitionLevel = repetition + (child.Repetition == Repetition.Repeated ? 1 : 0);
            child.Rebase(child.MaxDefinitionLevel, child.MaxRepetitionLevel, child.Path);
        }
    }
}
