namespace ReplicaSync.Parquet;

/// <summary>Checks a <see cref="ColumnData"/> against its schema leaf before anything is written, so a bad column cannot leave a half-written row group.</summary>
internal static class ColumnValidator
{
    /// <summary>Returns the column's row count; throws <see cref="ArgumentException"/> naming the column and the problem.</summary>
    public static int Validate(ColumnData column, SchemaNode leaf)
    {
        ArgumentNullException.ThrowIfNull(column);
        var given = column.Leaf;
        if (!ReferenceEquals(given, leaf)
            && (!given.Path.AsSpan().SequenceEqual(leaf.Path) || given.Type != leaf.Type || given.TypeLength != leaf.TypeLength
                || given.Logical != leaf.Logical || given.MaxDefinitionLevel != leaf.MaxDefinitionLevel
                || given.MaxRepetitionLevel != leaf.MaxRepetitionLevel))
            throw Fail(leaf, $"is given data for {given} ({given.Type})");
        if (column.Count < 0 || column.ValueCount < 0 || column.ValueCount > column.Count)
            throw Fail(leaf, $"has Count {column.Count} and ValueCount {column.ValueCount}");

        var definitions = CheckLevels(column.DefinitionLevels, leaf.MaxDefinitionLevel, column.Count, leaf, "definition");
        var present = definitions.IsEmpty && leaf.MaxDefinitionLevel == 0 ? column.Count : definitions.Count((byte)leaf.MaxDefinitionLevel);
        if (present != column.ValueCount)
            throw Fail(leaf, $"has {present} entries at the maximum definition level but ValueCount {column.ValueCount}");

        var repetitions = CheckLevels(column.RepetitionLevels, leaf.MaxRepetitionLevel, column.Count, leaf, "repetition");
        if (!repetitions.IsEmpty && repetitions[0] != 0)
            throw Fail(leaf, "does not start with a new row (repetition level 0)");

        var length = ValuesLength(column, leaf);
        if (length < 0)
            throw Fail(leaf, $"has no {ArrayName(leaf)} array (its values must go there)");
        if (length < column.ValueCount)
            throw Fail(leaf, $"has {length} values in its {ArrayName(leaf)} array for ValueCount {column.ValueCount}");
        return column.RowCount();
    }

    private static ReadOnlySpan<byte> CheckLevels(byte[]? levels, int max, int count, SchemaNode leaf, string kind)
    {
        if (max == 0)
        {
            if (levels is not null)
                throw Fail(leaf, $"has {kind} levels but its maximum {kind} level is 0");
            return default;
        }
        if (levels is null || levels.Length < count)
            throw Fail(leaf, $"needs {count} {kind} levels, has {levels?.Length ?? 0}");
        var span = levels.AsSpan(0, count);
        if (span.IndexOfAnyInRange((byte)(max + 1), byte.MaxValue) >= 0)
            throw Fail(leaf, $"has a {kind} level above its maximum {max}");
        return span;
    }

    private static int ValuesLength(ColumnData column, SchemaNode leaf) => leaf.Type switch
    {
        PhysicalType.Boolean => column.Booleans?.Length ?? -1,
        PhysicalType.Int32 => column.Int32s?.Length ?? -1,
        PhysicalType.Int64 => column.Int64s?.Length ?? -1,
        PhysicalType.Float => column.Floats?.Length ?? -1,
        PhysicalType.Double => column.Doubles?.Length ?? -1,
        _ => ColumnData.IsStringLeaf(leaf) ? column.Strings?.Length ?? -1 : column.Binaries?.Length ?? -1,
    };

    private static string ArrayName(SchemaNode leaf) => leaf.Type switch
    {
        PhysicalType.Boolean => nameof(ColumnData.Booleans),
        PhysicalType.Int32 => nameof(ColumnData.Int32s),
        PhysicalType.Int64 => nameof(ColumnData.Int64s),
        PhysicalType.Float => nameof(ColumnData.Floats),
        PhysicalType.Double => nameof(ColumnData.Doubles),
        _ => ColumnData.IsStringLeaf(leaf) ? nameof(ColumnData.Strings) : nameof(ColumnData.Binaries),
    };

    private static ArgumentException Fail(SchemaNode leaf, string what) => new($"column {leaf} {what}");
}
