namespace ReplicaSync.Delta;

/// <summary>The key and value leaves of one MAP&lt;string, string?&gt; column.</summary>
internal sealed record MapBuilders(ColumnBuilder Keys, ColumnBuilder Values)
{
    // The definition level at which the map itself is present: its keys are one level deeper (key_value repeats).
    private readonly int _mapDef = Keys.Leaf.MaxDefinitionLevel - 1;

    /// <summary>One row's map: a null map is one entry below the map's level, an empty one an entry at it.</summary>
    public void Add(Dictionary<string, string?>? map)
    {
        if (map is null || map.Count == 0)
        {
            var def = map is null ? _mapDef - 1 : _mapDef;
            Keys.Null(def);
            Values.Null(def);
            return;
        }
        var rep = 0;
        foreach (var (key, value) in map)
        {
            Keys.Add(key, rep);
            Values.Add(value, rep);
            rep = 1;
        }
    }
}
