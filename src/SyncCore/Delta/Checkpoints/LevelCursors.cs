using Parquet.Schema;

namespace ReplicaSync.Delta;

/// <summary>
/// Walks one non-repeated leaf column row by row. <see cref="Def"/> is the row's definition level, so a caller can
/// tell "value present" (== max) from "an enclosing struct is null" (lower). A missing column reads as all null.
/// </summary>
internal sealed class ScalarCursor(DataField? leaf) : LeafCursor(leaf)
{
    private int _entry;
    private int _next;
    private int _value = -1;

    public int Def { get; private set; }
    public bool HasValue => _value >= 0;

    public void Next()
    {
        if (Data is null)
            return;
        Def = Data.DefinitionLevels[_entry];
        _entry++;
        _value = Def == MaxDef ? _next++ : -1;
    }

    public string? String => HasValue ? Data!.String(_value) : null;
    public long? Int64 => HasValue ? Data!.Int64(_value) : null;
    public int? Int32 => HasValue ? Data!.Int32(_value) : null;
    public bool? Boolean => HasValue ? Data!.Boolean(_value) : null;
}

/// <summary>Walks a repeated leaf (a MAP's keys/values or a LIST's elements) one row at a time.</summary>
internal sealed class RepeatedCursor(DataField? leaf, int containerDef) : LeafCursor(leaf)
{
    private int _entry;
    private int _next;

    /// <summary>
    /// Moves to the next row and returns how many entries it has: -1 when the container (or a struct around it) is
    /// null, 0 when empty. Read the entries with <see cref="Take"/>.
    /// </summary>
    public int NextRow()
    {
        if (Data is null)
            return -1;
        var def = Data.DefinitionLevels[_entry];
        if (def <= containerDef)
        {
            _entry++;
            return def == containerDef ? 0 : -1;
        }
        var repetitions = Data.RepetitionLevels;
        var count = 1;
        while (_entry + count < Data.Count && repetitions[_entry + count] > 0)
            count++;
        return count;
    }

    /// <summary>The next entry's string, or null when that entry's value is null.</summary>
    public string? Take()
    {
        var def = Data!.DefinitionLevels[_entry++];
        return def == MaxDef ? Data.String(_next++) : null;
    }
}
