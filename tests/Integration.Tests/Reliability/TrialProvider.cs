namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>The provider table of the reliability trials: appends, with deletes, OPTIMIZE rewrites and one schema change mixed in.</summary>
internal static class TrialProvider
{
    /// <summary>Writes versions 0..<paramref name="versions"/>-1 under <paramref name="root"/>.</summary>
    public static async Task BuildAsync(string root, int versions, int seed)
    {
        var table = new ProviderTableBuilder(root, seed);
        await table.CreateAsync("a", "b", null);
        for (var v = 1; v < versions; v++)
        {
            if (v == versions / 2)
                await table.ChangeSchemaAsync();
            else if (v % 10 == 5)
                await table.DeleteAsync(2);
            else if (v % 15 == 14)
                await table.OptimizeAsync(v % 2 == 0 ? "a" : "b");
            else
                await table.AppendAsync("a", "b", null);
        }
    }
}
