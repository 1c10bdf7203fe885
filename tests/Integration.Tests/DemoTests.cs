using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// <c>replicasync demo</c> as a real process, without a terminal: it prints plain progress lines and the summary,
/// and leaves a replica that our log replay and DuckDB both read back as the provider's data.
/// </summary>
public sealed class DemoTests
{
    private const int RowsPerFile = 5000;
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>
    /// The README's first command, <c>dotnet run --project src/SyncDaemon -- demo</c>, writes <c>./demo</c> where it
    /// runs, not in the project folder (the Web SDK's default run directory). It runs the build these tests were
    /// built with (<c>--no-build</c>), so it neither rebuilds nor restores.
    /// </summary>
    [Fact]
    public void Dotnet_run_writes_the_demo_into_the_callers_directory()
    {
        using var caller = new TempDirectory("demo-caller");
        var project = Path.Combine(TestPaths.RepoRoot, "src", "SyncDaemon");

        var (exit, output) = Executables.Run("dotnet", ["run", "--no-build", "-c", Configuration, "--project", project, "--", "demo"],
            workingDirectory: caller.Path, timeout: CliProcess.DefaultTimeout);

        Assert.True(exit == 0, output);
        var replica = Path.Combine(caller.Path, "demo", "replica");
        Assert.True(File.Exists(Path.Combine(replica, "_delta_log", "00000000000000000007.json")), output);
        Assert.Contains($"The replica is an ordinary Delta table at {replica}.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_replicates_twice_and_its_replica_reads_back_with_duckdb()
    {
        using var dir = new TempDirectory("demo");

        var result = await CliProcess.RunAsync("demo", "--dir", dir.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("first sync (full history): replica at version 5; 6 versions, 12 files", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("second sync (incremental): replica at version 7; 2 versions, 6 files", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(result.StdoutLines, l => l.StartsWith("version 7: +3 -0 files", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.Contains("summary", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.Contains("6..7", StringComparison.Ordinal));
        Assert.DoesNotContain("\u001b[", result.Stdout, StringComparison.Ordinal); // no terminal, no escape codes

        var replicaRoot = Path.Combine(dir.Path, "replica");
        await ReplicaComparer.AssertAlignedAsync(Path.Combine(dir.Path, "provider"), replicaRoot, "demo.sales.orders");
        var snapshot = (await new DeltaLog(new LocalObjectStore(replicaRoot)).LoadSnapshotAsync(null, default))!;
        Assert.Equal(7, snapshot.Version);
        Assert.Contains("\"note\"", snapshot.Metadata!.SchemaString, StringComparison.Ordinal);
        var files = snapshot.Files.Values.Select(f => Path.Combine(replicaRoot, ReplicaPaths.FromLogPath(f.Path))).ToList();
        Assert.Equal(17, files.Count); // 6 appends of 3 files, one deleted

        var read = NodeReaders.Read(NodeReaders.DuckDb, files);
        var ids = new List<long>();
        foreach (var file in files)
        {
            var rows = read.Rows(file, "DuckDB");
            Assert.Equal(RowsPerFile, rows.Count);
            ids.AddRange(rows.Select(r => long.Parse((string)r!["id"]!)));
            var first = rows[0]!.AsObject();
            Assert.True(first.ContainsKey("product") && first.ContainsKey("amount"), file);
            // Files written after the schema change (version 4) carry the new column.
            if (first.ContainsKey("note"))
                Assert.StartsWith("order ", (string?)first["note"]);
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(17 * RowsPerFile, ids.Count);
        Assert.Equal(9, read.Values.Count(r => r["rows"]![0]!.AsObject().ContainsKey("note")));
        // The deleted file (the first FR file, ids 5001..10000) is gone from the replica's live set.
        Assert.DoesNotContain(5001L, ids);

        // status prints the summary lines and a table of recent commits, newest first.
        var status = await CliProcess.RunAsync("status", "--target", replicaRoot);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains(status.StdoutLines, l => l.Trim() == "recent commits");
        var commitRows = status.StdoutLines.Where(l => l.StartsWith("│ ", StringComparison.Ordinal) && char.IsDigit(l[2])).Select(l => l.Split('│', StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(["7", "6", "5", "4", "3", "2", "1", "0"], commitRows.Select(r => r[1]));
        Assert.Equal(["3", "0"], commitRows.Single(r => r[1] == "7")[4..6]);
        Assert.Equal(["0", "1"], commitRows.Single(r => r[1] == "3")[4..6]);
    }
}
