namespace ReplicaSync.Parquet;

/// <summary>Converts between the footer's flat, depth-first schema element list and the <see cref="SchemaNode"/> tree.</summary>
internal static class SchemaConverter
{
    // Delta schemas nest a few levels; a crafted footer could nest thousands and overflow the stack.
    private const int MaxDepth = 100;

    public static SchemaNode ToTree(List<SchemaElement> elements, string file)
    {
        var index = 0;
        var root = Build(elements, ref index, depth: 0, file);
        if (root.IsLeaf)
            throw ParquetException.Corrupt(file, "the schema root is not a group");
        if (index != elements.Count)
            throw ParquetException.Corrupt(file, $"the schema has {elements.Count - index} elements outside the root");
        return root;
    }

    public static List<SchemaElement> ToElements(SchemaNode root)
    {
        var elements = new List<SchemaElement> { new() { Name = root.Name, NumChildren = root.Children.Count } };
        foreach (var child in root.Children)
            AddElements(child, elements);
        return elements;
    }

    private static SchemaNode Build(List<SchemaElement> elements, ref int index, int depth, string file)
    {
        if (depth > MaxDepth)
            throw ParquetException.Corrupt(file, "the schema is nested too deeply");
        if (index >= elements.Count)
            throw ParquetException.Corrupt(file, "a schema group claims more children than the schema has");
        var e = elements[index++];
        var isRoot = depth == 0;
        if (!isRoot && e.Repetition is null)
            throw ParquetException.Corrupt(file, $"schema element '{e.Name}' has no repetition");
        if (e.Name.Length == 0)
            throw ParquetException.Corrupt(file, "schema element with an empty name");
        var repetition = e.Repetition ?? Repetition.Required;
        var logical = LogicalOf(e);
        SchemaNode[]? children = null;
        if (e.Type is null)
        {
            if (e.NumChildren <= 0 && !isRoot)
                throw ParquetException.Corrupt(file, $"group '{e.Name}' has no children");
            if (e.NumChildren > elements.Count - index)
                throw ParquetException.Corrupt(file, $"group '{e.Name}' claims more children than the schema has");
            children = new SchemaNode[Math.Max(0, e.NumChildren)];
            for (var i = 0; i < children.Length; i++)
                children[i] = Build(elements, ref index, depth + 1, file);
        }
        else if (e.NumChildren > 0)
        {
            throw ParquetException.Corrupt(file, $"leaf '{e.Name}' has children");
        }
        else if (e.Type == PhysicalType.FixedLenByteArray && e.TypeLength <= 0)
        {
            throw ParquetException.Corrupt(file, $"fixed-length column '{e.Name}' has no positive length");
        }
        var scale = e.Logical is { Kind: LogicalKind.Decimal } l ? l.Scale : e.Scale;
        var precision = e.Logical is { Kind: LogicalKind.Decimal } p ? p.Precision : e.Precision;
        var utc = e.Logical?.IsAdjustedToUtc ?? true;
        var typeLength = e.Type == PhysicalType.FixedLenByteArray ? e.TypeLength : 0;
        return SchemaNode.FromFile(e.Name, repetition, e.Type, logical, typeLength, precision, scale, utc, e.FieldId, children);
    }

    private static LogicalKind LogicalOf(SchemaElement e)
    {
        if (e.Logical is { Known: true } logical && logical.Kind != LogicalKind.None)
            return logical.Kind;
        return e.Converted switch
        {
            ConvertedType.Utf8 => LogicalKind.String,
            ConvertedType.Map => LogicalKind.Map,
            ConvertedType.MapKeyValue => LogicalKind.MapKeyValue,
            ConvertedType.List => LogicalKind.List,
            ConvertedType.Enum => LogicalKind.Enum,
            ConvertedType.Decimal => LogicalKind.Decimal,
            ConvertedType.Date => LogicalKind.Date,
            ConvertedType.TimestampMillis => LogicalKind.TimestampMillis,
            ConvertedType.TimestampMicros => LogicalKind.TimestampMicros,
            ConvertedType.Int8 => LogicalKind.Int8,
            ConvertedType.Int16 => LogicalKind.Int16,
            ConvertedType.UInt8 => LogicalKind.UInt8,
            ConvertedType.UInt16 => LogicalKind.UInt16,
            ConvertedType.UInt32 => LogicalKind.UInt32,
            ConvertedType.UInt64 => LogicalKind.UInt64,
            ConvertedType.Json => LogicalKind.Json,
            _ => LogicalKind.None,
        };
    }

    private static void AddElements(SchemaNode node, List<SchemaElement> into)
    {
        into.Add(new SchemaElement
        {
            Type = node.Type,
            TypeLength = node.TypeLength,
            Repetition = node.Repetition,
            Name = node.Name,
            NumChildren = node.Children.Count,
            Converted = ConvertedOf(node),
            Scale = node.Scale,
            Precision = node.Precision,
            FieldId = node.FieldId,
            Logical = node.Logical is LogicalKind.None or LogicalKind.MapKeyValue
                ? null
                : new LogicalAnnotation(node.Logical, Known: true, node.IsAdjustedToUtc, node.Scale, node.Precision),
        });
        foreach (var child in node.Children)
            AddElements(child, into);
    }

    private static ConvertedType? ConvertedOf(SchemaNode node) => node.Logical switch
    {
        LogicalKind.String => ConvertedType.Utf8,
        LogicalKind.Map => ConvertedType.Map,
        LogicalKind.MapKeyValue => ConvertedType.MapKeyValue,
        LogicalKind.List => ConvertedType.List,
        LogicalKind.Enum => ConvertedType.Enum,
        LogicalKind.Decimal => ConvertedType.Decimal,
        LogicalKind.Date => ConvertedType.Date,
        // The legacy timestamp annotations mean UTC-adjusted instants; local date-times get only the LogicalType.
        LogicalKind.TimestampMillis when node.IsAdjustedToUtc => ConvertedType.TimestampMillis,
        LogicalKind.TimestampMicros when node.IsAdjustedToUtc => ConvertedType.TimestampMicros,
        LogicalKind.Json => ConvertedType.Json,
        LogicalKind.Int8 => ConvertedType.Int8,
        LogicalKind.Int16 => ConvertedType.Int16,
        LogicalKind.UInt8 => ConvertedType.UInt8,
        LogicalKind.UInt16 => ConvertedType.UInt16,
        LogicalKind.UInt32 => ConvertedType.UInt32,
        LogicalKind.UInt64 => ConvertedType.UInt64,
        _ => null,
    };
}
