using System.Text.Json.Nodes;

namespace ReplicaSync.TestSupport;

/// <summary>
/// Runs the independent Parquet readers in tests/js (DuckDB and hyparquet) over a batch of files in one node
/// process each, and returns every file's rows (or error) as JSON.
/// </summary>
public static class NodeReaders
{
    public const string DuckDb = "parquet-to-json.mjs";
    public const string Hyparquet = "hyparquet-to-json.mjs";
    public const string DuckDbWriter = "duckdb-write.mjs";

    private static string ScriptDirectory => Path.Combine(TestPaths.RepoRoot, "tests", "js");

    /// <summary>One result per file: <c>{"file", "rows"}</c> or <c>{"file", "error"}</c>, keyed by the path given.</summary>
    public static Dictionary<string, JsonObject> Read(string script, IReadOnlyCollection<string> files)
    {
        var stdout = Run(script, files);
        var results = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var result = JsonNode.Parse(line)!.AsObject();
            results[(string)result["file"]!] = result;
        }
        Assert.Equal(files.Count, results.Count);
        return results;
    }

    /// <summary>Writes files with DuckDB: each entry is (output path, COPY options, SELECT statement).</summary>
    public static void WriteWithDuckDb(IEnumerable<(string Path, string Options, string Select)> files) =>
        Run(DuckDbWriter, [.. files.SelectMany(f => new[] { f.Path, f.Options, f.Select })]);

    private static string Run(string script, IEnumerable<string> arguments)
    {
        var modules = Path.Combine(ScriptDirectory, "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "@duckdb", "node-api")) || !Directory.Exists(Path.Combine(modules, "hyparquet")))
            throw new InvalidOperationException($"{modules} is missing: run `npm ci --prefix tests/js` in {TestPaths.RepoRoot} first");
        var run = Executables.Run("node", [script, .. arguments], workingDirectory: ScriptDirectory, timeout: TimeSpan.FromMinutes(2));
        if (run.ExitCode != 0)
            throw new InvalidOperationException($"node {script} exited with {run.ExitCode}: {run.Stderr}");
        return run.Stdout;
    }

    /// <summary>The rows a reader produced for <paramref name="file"/>, failing the test with its error otherwise.</summary>
    public static JsonArray Rows(this Dictionary<string, JsonObject> results, string file, string reader)
    {
        var result = results[file];
        if (result["error"] is { } error)
            Assert.Fail($"{reader} could not read {file}: {error}");
        return result["rows"]!.AsArray();
    }
}
