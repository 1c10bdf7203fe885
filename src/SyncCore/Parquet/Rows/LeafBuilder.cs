namespace ReplicaSync.Parquet;

/// <summary>Collects one leaf's levels and values while records are shredded, then converts them to a <see cref="ColumnData"/>.</summary>
internal sealed class LeafBuilder(SchemaNode leaf)
{
    private readonly List<byte> _definitions = [];
    private readonly List<byte> _repetitions = [];
    private readonly List<object> _values = [];

    public void Add(int repetition, int definition, object value)
    {
        AddNull(repetition, definition);
        _values.Add(value);
    }

    public void AddNull(int repetition, int definition)
    {
        _definitions.Add((byte)definition);
        _repetitions.Add((byte)repetition);
    }

    public ColumnData Build()
    {
        var strings = ColumnData.IsStringLeaf(leaf);
        return new ColumnData
        {
            Leaf = leaf,
            Count = _definitions.Count,
            DefinitionLevels = leaf.MaxDefinitionLevel > 0 ? [.. _definitions] : null,
            RepetitionLevels = leaf.MaxRepetitionLevel > 0 ? [.. _repetitions] : null,
            ValueCount = _values.Count,
            Booleans = leaf.Type == PhysicalType.Boolean ? Convert(v => (bool)v) : null,
            Int32s = leaf.Type == PhysicalType.Int32 ? Convert(System.Convert.ToInt32) : null,
            Int64s = leaf.Type == PhysicalType.Int64 ? Convert(System.Convert.ToInt64) : null,
            Floats = leaf.Type == PhysicalType.Float ? Convert(System.Convert.ToSingle) : null,
            Doubles = leaf.Type == PhysicalType.Double ? Convert(System.Convert.ToDouble) : null,
            Strings = strings ? Convert(v => (string?)(string)v) : null,
            Binaries = !strings && leaf.Type is PhysicalType.ByteArray or PhysicalType.FixedLenByteArray or PhysicalType.Int96
                ? Convert(v => (byte[])v)
                : null,
        };
    }

    private T[] Convert<T>(Func<object, T> convert)
    {
        var result = new T[_values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            try
            {
                result[i] = convert(_values[i]);
            }
            catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
            {
                throw new ArgumentException($"column {leaf}: cannot store a {_values[i].GetType().Name} as {leaf.Type}", e);
            }
        }
        return result;
    }
}
