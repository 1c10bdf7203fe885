namespace ReplicaSync.TestSupport;

/// <summary>Locations the tests read: the repository root and the shared test tables beside it.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot);

    /// <summary>The directory holding ReplicaSync.sln.</summary>
    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary>The real Delta tables under <c>../shared/testdata/delta-rs</c>, read in place.</summary>
    public static string DeltaRsTables => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "testdata", "delta-rs"));

    /// <summary>One shared test table by name.</summary>
    public static string Table(string name)
    {
        var path = Path.Combine(DeltaRsTables, name);
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"test table {name} not found under {DeltaRsTables}");
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReplicaSync.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("ReplicaSync.sln not found above the test binaries");
    }
}
