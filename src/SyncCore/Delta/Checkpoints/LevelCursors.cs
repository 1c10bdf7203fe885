using ReplicaSync.Parquet;

namespace ReplicaSync.Delta;

/// <summary>
/// Walks one non-repeated leaf column row by row. <see cref="Def"/> is the row's definition level, so a caller can
/// tell "value present" (== max) from "an enclosing struct is null" (lower). A missing column reads as all null.
/// </summary>
internal sealed class ScalarCursor(ColumnData? data)
{
    private readonly int _max = data?.Leaf.MaxDefinitionLevel ?? 0;
    private int _entry;
    private int _next;
    private int _value = -1;

    public int Def { get; private set; }
    public bool HasValue => _value >= 0;

    public void Next()
    {
        if (data is null)
            return;
        Def = data.DefinitionLevels?[_entry] ?? _max;
        _entry++;
        _value = Def == _max ? _next++ : -1;
    }

    public string? String => HasValue ? data!.Strings![_value] : null;
    public long? Int64 => HasValue ? data!.Int64s is { } l ? l[_value] : data.Int32s![_value] : null;
    public int? Int32 => HasValue ? data!.Int32s is { } i ? i[_value] : checked((int)data.Int64s![_value]) : null;
    public bool? Boolean => HasValue ? data!.Booleans![_value] : null;
}

/// <summary>Walks a repeated leaf (a MAP's keys/values or a LIST's elements) one row at a time.</summary>
internal sealed class RepeatedCursor(ColumnData? data, int containerDef)
{
    private readonly int _max = data?.Leaf.MaxDefinitionLevel ?? 0;
    private int _entry;
    private int _next;

    /// <summary>
    /// Moves to the next row and returns how many entries it has: -1 when the container (or a struct around it) is
    /// null, 0 when empty. Read the entries with <see cref="Take"/>.
    /// </summary>
    public int NextRow()
    {
        if (data is null)
            return -1;
        var def = data.DefinitionLevels![_entry];
        if (def <= containerDef)
        {
            _entry++;
            return def == containerDef ? 0 : -1;
        }
        var count = 1;
        while (_entry + count < data.Count && data.RepetitionLevels![_entry + count] > 0)
            count++;
        return count;
    }

    /// <summary>The next entry's string, or null when that entry's value is null.</summary>
    public string? Take()
    {
        var def = data!.DefinitionLevels![_entry++];
        return def == _max ? data.Strings![_next++] : null;
    }
}
