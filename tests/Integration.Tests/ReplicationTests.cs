using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

public class ReplicationTests
{
    private static readonly SyncOptions FastRetries = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(10) };

    public static TheoryData<string> ServedTables =>
    [
        "simple_table", "delta-0.8.0", "delta-0.8.0-partitioned", "delta-0.8.0-special-partition",
        "simple_table_with_checkpoint", "python-0.25.5-checkpoint", "table-with-dv-small", "cdf-table",
        "table_with_column_mapping",
    ];

    [Theory]
    [MemberData(nameof(ServedTables))]
    public async Task Every_served_test_table_replicates_version_for_version(string directory)
    {
        var table = SharedName(directory);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = TestPaths.Table(directory) });
        using var replica = new TempDirectory("replica");
        var report = await SyncAsync(sharing, table, replica.Path);
        Assert.True(report.Reached);
        Assert.Equal(report.ProviderVersion + 1, report.Versions.Count);
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table(directory), replica.Path, sharing.Address(table).QualifiedName);
    }

    [Fact]
    public async Task A_table_grown_version_by_version_stays_aligned_through_every_kind_of_change()
    {
        using var provider = new TempDirectory("provider");
        using var replica = new TempDirectory("replica");
        var table = new ProviderTableBuilder(provider.Path);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["grown"] = provider.Path });
        var options = FastRetries with { VersionsPerRequest = 3 };

        await table.CreateAsync("a", "b", null);                 // 0
        await table.AppendAsync("a", "a/b%c", "b");               // 1: partition value with '/' and '%'
        Assert.True((await SyncAsync(sharing, "grown", replica.Path, options)).Reached);
        await table.DeleteAsync(2);                              // 2
        await table.OverwriteAsync("a", "c");                    // 3
        await table.ChangeSchemaAsync();                         // 4
        await table.AppendAsync("a", "a", "c", null);            // 5
        await table.OptimizeAsync("a");                          // 6: dataChange=false, invisible in the feed
        await table.EmptyCommitAsync();                          // 7
        await table.AppendAsync("a");                            // 8
        await table.OptimizeAsync("a");                          // 9
        await table.DeleteAsync(1);                              // 10: removes the compacted file the feed never showed
        var report = await SyncAsync(sharing, "grown", replica.Path, options);

        Assert.Equal(Enumerable.Range(2, 9).Select(v => (long)v), report.Versions.Select(v => v.Version));
        Assert.True(report.Versions.Single(v => v.Version == 6).Reconciled);
        Assert.True(report.Versions.Single(v => v.Version == 9).Reconciled);
        Assert.True(report.Versions.Single(v => v.Version == 4).MetadataChanged);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, sharing.Address("grown").QualifiedName);
        Assert.True(Directory.Exists(Path.Combine(replica.Path, "part=a%2Fb%25c")));

        // The compaction's rewrite is committed as the provider committed it: dataChange=false.
        var v6 = await new DeltaLog(new LocalObjectStore(replica.Path)).ReadCommitAsync(6, null, default);
        Assert.All(v6.Actions.OfType<AddFile>(), a => Assert.False(a.DataChange));
        Assert.All(v6.Actions.OfType<RemoveFile>(), r => Assert.False(r.DataChange));
    }

    [Fact]
    public async Task A_second_run_without_provider_change_copies_and_writes_nothing()
    {
        const string table = "partitioned";
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = TestPaths.Table("delta-0.8.0-partitioned") });
        using var replica = new TempDirectory("replica");
        await SyncAsync(sharing, table, replica.Path);
        var before = Listing(replica.Path);
        var second = await SyncAsync(sharing, table, replica.Path);
        Assert.Empty(second.Versions);
        Assert.True(second.Reached);
        Assert.Equal(before, Listing(replica.Path));
    }

    [Fact]
    public async Task A_run_stopped_after_copying_but_before_committing_converges_and_reuses_the_files()
    {
        using var provider = new TempDirectory("provider");
        using var replica = new TempDirectory("replica");
        var table = new ProviderTableBuilder(provider.Path);
        await table.CreateAsync("a", "b");
        await table.AppendAsync("a", "b", "c");
        await table.AppendAsync("d");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });

        var crashing = FastRetries with
        {
            BeforeCommit = (plan, _) => plan.Version == 1 ? throw new SimulatedCrash() : Task.CompletedTask,
        };
        await Assert.ThrowsAsync<SimulatedCrash>(() => SyncAsync(sharing, "t", replica.Path, crashing));
        Assert.Equal(0, await new DeltaLog(new LocalObjectStore(replica.Path)).LatestVersionAsync(default));

        var rerun = await SyncAsync(sharing, "t", replica.Path);
        var v1 = rerun.Versions[0];
        Assert.Equal(1, v1.Version);
        Assert.Equal(3, v1.FilesReused);
        Assert.Equal(0, v1.FilesCopied);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, sharing.Address("t").QualifiedName);
    }

    [Fact]
    public async Task To_version_stops_there_and_a_later_run_continues()
    {
        const string table = "simple_table";
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [table] = TestPaths.Table(table) });
        using var replica = new TempDirectory("replica");
        var first = await SyncAsync(sharing, table, replica.Path, toVersion: 2);
        Assert.Equal(2, first.EndVersion);
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table(table), replica.Path, sharing.Address(table).QualifiedName, upTo: 2);
        var second = await SyncAsync(sharing, table, replica.Path);
        Assert.Equal([3L, 4L], second.Versions.Select(v => v.Version));
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table(table), replica.Path, sharing.Address(table).QualifiedName);
    }

    [Fact]
    public async Task A_target_holding_another_table_is_refused_untouched()
    {
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string>
        {
            ["one"] = TestPaths.Table("simple_table"), ["two"] = TestPaths.Table("delta-0.8.0-partitioned"),
        });
        using var replica = new TempDirectory("replica");
        await SyncAsync(sharing, "two", replica.Path);
        var before = Listing(replica.Path);
        var e = await Assert.ThrowsAsync<SyncException>(() => SyncAsync(sharing, "one", replica.Path));
        Assert.Contains("not a replica of share.default.one", e.Message);
        Assert.Equal(before, Listing(replica.Path));
    }

    /// <summary>Share names may not contain '.', so test table directories are shared under a dot-free name.</summary>
    internal static string SharedName(string directory) => directory.Replace('.', '_');

    internal static async Task<SyncReport> SyncAsync(SharingFixture sharing, string table, string target, SyncOptions? options = null, long? toVersion = null)
    {
        using var client = sharing.Client();
        using var http = FileHttp.CreateClient();
        var engine = new SyncEngine(client, new LocalObjectStore(target), http, options ?? FastRetries);
        return await engine.RunAsync(sharing.Address(table), toVersion, null, default);
    }

    internal static List<string> Listing(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(root, f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}")
            .Order(StringComparer.Ordinal).ToList();

    private sealed class SimulatedCrash : Exception;
}
