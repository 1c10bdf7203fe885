namespace ReplicaSync.Delta;

/// <summary>
/// Shares one instance per distinct partition-values map: the files of a partition all carry equal maps, and
/// at a million files separate copies would cost more memory than the paths. Each map has a stable index, which is
/// what a packed live file stores. Pooled maps must not be mutated (the code mirrors actions by cloning them before
/// changing anything).
/// </summary>
internal sealed class PartitionValuesPool
{
    private readonly Dictionary<Dictionary<string, string?>, int> _indexes;
    private readonly List<Dictionary<string, string?>> _maps;

    public PartitionValuesPool()
    {
        _indexes = new(MapComparer.Instance);
        _maps = [];
    }

    private PartitionValuesPool(PartitionValuesPool source)
    {
        _indexes = new(source._indexes, MapComparer.Instance);
        _maps = [.. source._maps];
    }

    /// <summary>A pool with the same maps at the same indexes, which interns on its own from then on.</summary>
    public PartitionValuesPool Clone() => new(this);

    /// <summary>The pooled map equal to <paramref name="values"/>.</summary>
    public Dictionary<string, string?> Intern(Dictionary<string, string?> values) => _maps[IndexOf(values)];

    /// <summary>The index of the pooled map equal to <paramref name="values"/>, pooling it if it is new.</summary>
    public int IndexOf(Dictionary<string, string?> values)
    {
        if (_indexes.TryGetValue(values, out var index))
            return index;
        index = _maps.Count;
        _maps.Add(values);
        _indexes.Add(values, index);
        return index;
    }

    /// <summary>The pooled map at <paramref name="index"/>.</summary>
    public Dictionary<string, string?> this[int index] => _maps[index];

    private sealed class MapComparer : IEqualityComparer<Dictionary<string, string?>>
    {
        public static readonly MapComparer Instance = new();

        public bool Equals(Dictionary<string, string?>? x, Dictionary<string, string?>? y)
        {
            if (ReferenceEquals(x, y))
                return true;
            if (x is null || y is null || x.Count != y.Count)
                return false;
            foreach (var (key, value) in x)
            {
                if (!y.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
                    return false;
            }
            return true;
        }

        // Order-independent: XOR of the entries' hashes.
        public int GetHashCode(Dictionary<string, string?> map)
        {
            var hash = map.Count;
            foreach (var (key, value) in map)
                hash ^= HashCode.Combine(key, value);
            return hash;
        }
    }
}
