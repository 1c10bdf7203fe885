using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Integration.Tests;

/// <summary><c>replicasync vacuum</c> as a child process: dry run, real run, rerun, and refusals.</summary>
public class VacuumCliTests(ITestOutputHelper output)
{
    private const string WouldDelete = "would delete: ";

    [Fact]
    public async Task Dry_run_deletes_nothing_and_lists_exactly_what_the_real_run_then_deletes_and_a_rerun_deletes_nothing()
    {
        await using var r = await VacuumReplica.CreateAsync();
        var before = ReplicationTests.Listing(r.Replica.Path);
        var live = await VacuumReplica.LiveKeysAsync(r.Replica.Path);

        var dry = await CliProcess.RunAsync("vacuum", "--target", r.Replica.Path, "--dry-run");

        output.WriteLine(dry.ToString());
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Empty(dry.StderrLines);
        Assert.Equal(before, ReplicationTests.Listing(r.Replica.Path)); // names, sizes and mtimes untouched
        var listed = dry.StdoutLines.Where(l => l.StartsWith(WouldDelete, StringComparison.Ordinal))
            .Select(l => l[WouldDelete.Length..l.LastIndexOf(" (", StringComparison.Ordinal)]).ToHashSet();
        Assert.Subset(listed, VacuumReplica.Debris.ToHashSet());
        Assert.Contains(dry.StdoutLines, l => l.StartsWith(WouldDelete + VacuumReplica.OldOrphan + " (3 B, unreferenced)", StringComparison.Ordinal));
        Assert.Contains(dry.StdoutLines, l => l.EndsWith(", expired tombstone)", StringComparison.Ordinal));
        Assert.StartsWith($"dry run: would delete {listed.Count} files", dry.StdoutLines[^1]);
        Assert.EndsWith("nothing was deleted", dry.StdoutLines[^1]);

        var run = await CliProcess.RunAsync("vacuum", "--target", r.Replica.Path);

        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var after = VacuumReplica.Files(r.Replica.Path);
        var deleted = new HashSet<string>(before.Select(l => l[..l.IndexOf(' ')].Replace(Path.DirectorySeparatorChar, '/')));
        deleted.ExceptWith(after);
        Assert.Equal(listed.Order(StringComparer.Ordinal), deleted.Order(StringComparer.Ordinal));
        Assert.Subset(after, live);
        Assert.Subset(after, VacuumReplica.Keepers.ToHashSet());
        Assert.Matches($"^deleted {listed.Count} files, freed .+ \\(expired tombstone: {listed.Count - 3} files, .+; unreferenced: 3 files, 9 B\\)$", run.StdoutLines[^1]);
        await r.AssertLatestAlignedAsync();

        var again = await CliProcess.RunAsync("vacuum", "--target", r.Replica.Path);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.StartsWith("deleted 0 files, freed 0 B", again.StdoutLines[^1]);
        Assert.Equal(after, VacuumReplica.Files(r.Replica.Path));
    }

    [Fact]
    public async Task A_retention_shorter_than_the_tables_runs_with_a_warning_on_stderr()
    {
        await using var r = await VacuumReplica.CreateAsync();
        var result = await CliProcess.RunAsync("vacuum", "--target", r.Replica.Path, "--retain-hours", "0", "--grace-hours", "0", "--dry-run");
        Assert.True(result.ExitCode == 0, result.ToString());
        var warning = Assert.Single(result.StderrLines);
        Assert.StartsWith("warning: the retention asked for (0 h) is shorter than the table's (168 h", warning);
        Assert.Contains(result.StdoutLines, l => l.StartsWith(WouldDelete + VacuumReplica.FreshOrphan, StringComparison.Ordinal));
    }

    public static TheoryData<string> Refusals => ["unknown-feature", "malformed-retention", "no-delta-log", "negative-hours"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refusal_is_one_clear_error_line_a_non_zero_exit_and_nothing_deleted(string kind)
    {
        using var dir = new TempDirectory("vacuum-refusal");
        var store = new LocalObjectStore(dir.Path);
        var protocol = kind == "unknown-feature"
            ? new Protocol { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = ["deletionVectors"], WriterFeatures = ["deletionVectors", "someFutureFeature"] }
            : new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 };
        var configuration = kind == "malformed-retention" ? new Dictionary<string, string?> { ["delta.deletedFileRetentionDuration"] = "forever" } : [];
        if (kind != "no-delta-log")
        {
            var writer = new CommitWriter(store);
            await writer.WriteAsync(0, [protocol, new Metadata { Id = "t", SchemaString = "{}", Configuration = configuration },
                                        new AddFile { Path = "removed.parquet", Size = 3, DataChange = true }], default);
            await writer.WriteAsync(1, [new RemoveFile { Path = "removed.parquet", DeletionTimestamp = 1_600_000_000_000, DataChange = true }], default);
        }
        foreach (var name in new[] { "removed.parquet", "orphan.parquet" })
        {
            File.WriteAllBytes(dir.Combine(name), [1, 2, 3]);
            File.SetLastWriteTimeUtc(dir.Combine(name), DateTime.UtcNow.AddDays(-30));
        }
        var before = ReplicationTests.Listing(dir.Path);
        string[] hours = kind == "negative-hours" ? ["--retain-hours", "-1"] : [];

        var result = await CliProcess.RunAsync(["vacuum", "--target", dir.Path, .. hours], CliProcess.DefaultTimeout);

        Assert.True(result.ExitCode != 0, result.ToString());
        var error = Assert.Single(result.StderrLines, l => l.Trim().Length > 0);
        Assert.Contains(kind switch
        {
            "unknown-feature" => "someFutureFeature",
            "malformed-retention" => "delta.deletedFileRetentionDuration",
            "no-delta-log" => "no Delta table",
            _ => "--retain-hours",
        }, error);
        Assert.Equal(before, ReplicationTests.Listing(dir.Path));
    }
}
