using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace ReplicaSync.Delta;

/// <summary>
/// Accumulates one leaf column (levels and typed values) while rows are shredded, and hands it to Parquet.Net's
/// column writer. Rows of other actions are not entered one by one: <see cref="PadRows"/> counts their nulls, which
/// are entered in one go only when a value follows, so the columns of actions a row group does not hold (in a
/// checkpoint of a million adds, most of them) keep no level arrays. The arrays keep their capacity from one row
/// group to the next.
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

    // Rows of another action (all levels 0) counted by PadRows and not entered yet.
    private int _padding;

    /// <summary>Rows entered so far (entries with repetition level 0), padding included.</summary>
    public int Rows { get; private set; }

    /// <summary>Brings the column to <paramref name="rows"/> rows; the rows added hold another action (the action struct is null).</summary>
    public void PadRows(int rows)
    {
        var missing = rows - Rows;
        if (missing <= 0)
            return;
        _padding += missing;
        Rows = rows;
    }

    /// <summary>An entry whose value is null because the node at level <paramref name="def"/> + 1 is null.</summary>
    public void Null(int def, int rep = 0)
    {
        EnterPadding();
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
        EnterPadding();
        _def.Add(Leaf.MaxDefinitionLevel);
        Repetition(rep);
    }

    private void EnterPadding()
    {
        if (_padding == 0)
            return;
        _def.AddRepeated(0, _padding);
        _rep?.AddRepeated(0, _padding);
        _padding = 0;
    }

    private void Repetition(int rep)
    {
        _rep?.Add(rep);
        if (rep == 0)
            Rows++;
    }

    /// <summary>Writes the entries as this leaf's column chunk of <paramref name="group"/>.</summary>
    public async Task WriteAsync(ParquetRowGroupWriter group, CancellationToken ct)
    {
        if (_def.Memory.IsEmpty)
        {
            // Only padding: its levels are all 0, from a pooled array held just while the chunk is encoded.
            var zeros = ArrayPool<int>.Shared.Rent(Math.Max(1, _padding));
            try
            {
                Array.Clear(zeros, 0, _padding);
                var levels = zeros.AsMemory(0, _padding);
                await WriteAsync(group, levels, _rep is null ? null : levels, ct);
            }
            finally
            {
                ArrayPool<int>.Shared.Return(zeros);
            }
            return;
        }
        EnterPadding();
        await WriteAsync(group, _def.Memory, _rep is null ? null : _rep.Memory, ct);
    }

    private Task WriteAsync(ParquetRowGroupWriter group, ReadOnlyMemory<int> def, ReadOnlyMemory<int>? rep, CancellationToken ct)
    {
        if (_strings is not null) return group.WriteAllPartsAsync(Leaf, _strings.Memory, def, rep, ct);
        if (_longs is not null) return group.WriteAllPartsAsync(Leaf, _longs.Memory, def, rep, ct);
        if (_ints is not null) return group.WriteAllPartsAsync(Leaf, _ints.Memory, def, rep, ct);
        return group.WriteAllPartsAsync(Leaf, _bools!.Memory, def, rep, ct);
    }

    /// <summary>Forgets the entries once a row group is written.</summary>
    public void Clear()
    {
        Rows = 0;
        _padding = 0;
        _def.Clear();
        _rep?.Clear();
        _strings?.Clear();
        _longs?.Clear();
        _ints?.Clear();
        _bools?.Clear();
    }
}
