using System.Text.Json.Nodes;

namespace ReplicaSync.Tests.Parquet;

/// <summary>Compares row arrays in canonical JSON, reporting the first differing row.</summary>
public static class RowAssert
{
    public static void Equal(JsonArray expected, JsonArray actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {expected.Count} rows expected, {actual.Count} read");
        for (var i = 0; i < expected.Count; i++)
        {
            var e = ParquetJson.Canonical(expected[i]);
            var a = ParquetJson.Canonical(actual[i]);
            if (e != a)
                Assert.Fail($"{what}: row {i} differs\nexpected: {Cut(e)}\nactual:   {Cut(a)}");
        }
    }

    private static string Cut(string s) => s.Length <= 4000 ? s : s[..4000] + "…";
}
