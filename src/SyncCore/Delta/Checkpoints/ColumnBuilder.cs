using ReplicaSync.Parquet;

namespace ReplicaSync.Delta;

/// <summary>Accumulates one leaf column (levels and typed values) while rows are shredded.</summary>
internal sealed class ColumnBuilder(SchemaNode leaf)
{
    private readonly List<byte> _def = [];
    private readonly List<byte>? _rep = leaf.MaxRepetitionLevel > 0 ? [] : null;
    private readonly List<string?>? _strings = leaf.Type == PhysicalType.ByteArray ? [] : null;
    private readonly List<long>? _longs = leaf.Type == PhysicalType.Int64 ? [] : null;
    private readonly List<int>? _ints = leaf.Type == PhysicalType.Int32 ? [] : null;
    private readonly List<bool>? _bools = leaf.Type == PhysicalType.Boolean ? [] : null;

    public SchemaNode Leaf { get; } = leaf;

    /// <summary>An entry whose value is null because the node at level <paramref name="def"/> + 1 is null.</summary>
    public void Null(int def, int rep = 0)
    {
        _def.Add((byte)def);
        _rep?.Add((byte)rep);
    }

    public void Add(string? value, int rep = 0)
    {
        if (value is null) { Null(Leaf.MaxDefinitionLevel - 1, rep); return; }
        Present(rep);
        _strings!.Add(value);
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
        _def.Add((byte)Leaf.MaxDefinitionLevel);
        _rep?.Add((byte)rep);
    }

    public ColumnData Build() => new()
    {
        Leaf = Leaf,
        Count = _def.Count,
        DefinitionLevels = Leaf.MaxDefinitionLevel > 0 ? _def.ToArray() : null,
        RepetitionLevels = _rep?.ToArray(),
        ValueCount = (_strings?.Count ?? 0) + (_longs?.Count ?? 0) + (_ints?.Count ?? 0) + (_bools?.Count ?? 0),
        Strings = _strings?.ToArray(),
        Int64s = _longs?.ToArray(),
        Int32s = _ints?.ToArray(),
        Booleans = _bools?.ToArray(),
    };

    /// <summary>Forgets the entries once a row group is written; the lists keep their capacity for the next one.</summary>
    public void Clear()
    {
        _def.Clear();
        _rep?.Clear();
        _strings?.Clear();
        _longs?.Clear();
        _ints?.Clear();
        _bools?.Clear();
    }
}
