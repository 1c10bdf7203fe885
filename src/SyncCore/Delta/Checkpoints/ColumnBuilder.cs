using Parquet;
using Parquet.Schema;

namespace ReplicaSync.Delta;

/// <summary>
/// Accumulates one leaf column (levels and typed values) while rows are shredded, and hands it to Parquet.Net's
/// column writer. Rows of other actions are not entered one by one: <see cref="PadRows"/> adds their nulls in one go.
/// The arrays keep their capacity from one row group to the next.
/// </summary>
internal sealed class ColumnBuilder(DataField leaf)
{
    private readonly GrowableArray<int> _def = new();
    private readonly GrowableArray<int>? _rep = leaf.MaxRepetitionLevel > 0 ? new() : null;
    private readonly GrowableArray<ReadOnlyMemory<char>>? _strings = leaf.ClrType == typeof(ReadOnlyMemory<char>) ? new() : null;
    private readonly GrowableArray<long>? _longs = leaf.ClrType == typeof(long) ? new() : null;
    private readonly GrowableArray<int>? _ints = leaf.ClrType == typeof(int) ? new() : null;
    private readonly GrowableArray<bool>? _bools = leaf.ClrType == typeof(bool) ? new() : null;

    public DataField Leaf { get; } = leaf;

    /// <summary>The action (top-level column) this leaf belongs to.</summary>
    public string Action { get; } = leaf.Path.FirstPart ?? "";

    /// <summary>Rows entered so far (entries with repetition level 0).</summary>
    public int Rows { get; private set; }

    /// <summary>Brings the column to <paramref name="rows"/> rows; the rows added hold another action (the action struct is null).</summary>
    public void PadRows(int rows)
    {
        var missing = rows - Rows;
        if (missing <= 0)
            return;
        _def.AddRepeated(0, missing);
        _rep?.AddRepeated(0, missing);
        Rows = rows;
    }

    /// <summary>An entry whose value is null because the node at level <paramref name="def"/> + 1 is null.</summary>
    public void Null(int def, int rep = 0)
    {
        _def.Add(def);
        Repetition(rep);
    }

    public void Add(string? value, int rep = 0)
    {
        if (value is null) { Null(Leaf.MaxDefinitionLevel - 1, rep); return; }
        Present(rep);
        _strings!.Add(value.AsMemory());
    }

    public void Add(long? value)
    {
        if (value is null) { Null(Leaf.MaxDefinitionLevel - 1); return; }
        Present(0);
        _longs!.Add(value.Value);
    }

    public void Add(int? value)
    {
        if (value is null) { Null(Leaf.MaxDefinitionLevel - 1); return; }
        Present(0);
        _ints!.Add(value.Value);
    }

    public void Add(bool? value)
    {
        if (value is null) { Null(Leaf.MaxDefinitionLevel - 1); return; }
        Present(0);
        _bools!.Add(value.Value);
    }

    private void Present(int rep)
    {
        _def.Add(Leaf.MaxDefinitionLevel);
        Repetition(rep);
    }

    private void Repetition(int rep)
    {
        _rep?.Add(rep);
        if (rep == 0)
            Rows++;
    }

    /// <summary>Writes the entries as this leaf's column chunk of <paramref name="group"/>.</summary>
    public Task WriteAsync(ParquetRowGroupWriter group, CancellationToken ct)
    {
        var def = _def.Memory;
        ReadOnlyMemory<int>? rep = _rep is null ? null : _rep.Memory;
        if (_strings is not null) return group.WriteAllPartsAsync(Leaf, _strings.Memory, def, rep, ct);
        if (_longs is not null) return group.WriteAllPartsAsync(Leaf, _longs.Memory, def, rep, ct);
        if (_ints is not null) return group.WriteAllPartsAsync(Leaf, _ints.Memory, def, rep, ct);
        return group.WriteAllPartsAsync(Leaf, _bools!.Memory, def, rep, ct);
    }

    /// <summary>Forgets the entries once a row group is written.</summary>
    public void Clear()
    {
        Rows = 0;
        _def.Clear();
        _rep?.Clear();
        _strings?.Clear();
        _longs?.Clear();
        _ints?.Clear();
        _bools?.Clear();
    }
}
