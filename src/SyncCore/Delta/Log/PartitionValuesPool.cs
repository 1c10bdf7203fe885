namespace ReplicaSync.Delta;

/// <summary>
/// Shares one instance per distinct partition-values map: the files of a partition all carry equal maps, and
/// at a million files separate copies would cost more memory than the paths. Pooled maps must not be mutated
/// (the code mirrors actions by cloning them before changing anything).
/// </summary>
internal sealed class PartitionValuesPool
{
    private readonly HashSet<Dictionary<string, string?>> _pool;

    public PartitionValuesPool() => _pool = new(MapComparer.Instance);

    private PartitionValuesPool(PartitionValuesPool source) => _pool = new(source._pool, MapComparer.Instance);

    /// <summary>A pool with the same maps, which interns on its own from then on.</summary>
    public PartitionValuesPool Clone() => new(this);

    public Dictionary<string, string?> Intern(Dictionary<string, string?> values)
    {
        if (_pool.TryGetValue(values, out var shared))
            return shared;
        _pool.Add(values);
        return values;
    }

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
