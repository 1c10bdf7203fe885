namespace ReplicaSync.Parquet;

/// <summary>
/// Decides whether a string column chunk is worth dictionary-encoding and, if so, builds the dictionary and the
/// index of every value. It gives up early on mostly-distinct columns (paths, stats JSON) so those cost little.
/// </summary>
internal static class StringDictionary
{
    private const int SampleSize = 1024;
    // Like other writers, cap the dictionary page; past this, plain pages are about as small and faster to read.
    private const long MaxDictionaryBytes = 1024 * 1024;

    public static bool TryBuild(ReadOnlySpan<string?> values, out string[] entries, out int[] indices)
    {
        entries = [];
        indices = [];
        if (values.Length == 0)
            return false;
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new int[values.Length];
        long dictionaryBytes = 0, plainBytes = 0;
        // Values read from a dictionary-encoded file repeat the same instance, so a same-reference check skips hashing.
        string? previous = null;
        var previousIndex = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i] ?? throw new ArgumentException("a null among the values (nulls are expressed by definition levels)");
            plainBytes += 4 + value.Length;
            if (!ReferenceEquals(value, previous))
            {
                if (!lookup.TryGetValue(value, out previousIndex))
                {
                    previousIndex = lookup.Count;
                    lookup.Add(value, previousIndex);
                    dictionaryBytes += 4 + value.Length;
                    if (dictionaryBytes > MaxDictionaryBytes)
                        return false;
                }
                previous = value;
            }
            result[i] = previousIndex;
            if (i + 1 == SampleSize && lookup.Count > SampleSize / 2)
                return false;
        }
        // Indices cost about bitWidth/8 bytes each; the dictionary must beat plain encoding by a clear margin.
        var indexBytes = (long)values.Length * Math.Max(1, RleBitPackedDecoder.BitWidth(lookup.Count - 1)) / 8;
        if (dictionaryBytes + indexBytes > plainBytes * 3 / 4)
            return false;
        entries = new string[lookup.Count];
        foreach (var (value, index) in lookup)
            entries[index] = value;
        indices = result;
        return true;
    }
}
