using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// The target store fails: a proxy in front of moto, Azurite or the GCS emulator answers a random share of requests
/// with 500, 503 or the store's throttling answer (S3 SlowDown, Azure ServerBusy, GCS 429), or the local disk is full
/// (here injected in-process; <see cref="FullFilesystemTests"/> fills a real one). Every run either completes or fails
/// with an error naming the cause, the replica left behind is valid after every run, and once the store recovers a
/// run converges.
/// </summary>
public class TargetFaultTests(ITestOutputHelper output)
{
    private const string Table = "t";
    private const int Versions = 20;
    private const int MaxRuns = 30;
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData("s3")]
    [InlineData("azure")]
    [InlineData("gcs")]
    public async Task Runs_against_a_failing_and_throttling_store_leave_a_valid_replica_fail_clearly_and_converge(string storeName)
    {
        using var provider = new TempDirectory("target-fault-provider");
        await TrialProvider.BuildAsync(provider.Path, Versions, seed: 9);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [Table] = provider.Path });
        await using var store = await FaultyStore.StartAsync(storeName, seed: 3);
        var faultWords = StoreDialect.Named(storeName).Words.ToList();
        var audit = new ReplicaAudit(provider.Path, sharing.Address(Table).QualifiedName);
        var history = new ReplicaAudit.History();
        string[] sync = ["sync", "--table", sharing.Address(Table).ToString(), "--target", store.Address, "--from", "0"];

        // First every request fails: the run must stop with the store's error and leave nothing half-visible.
        store.Proxy.Probability = 1;
        var refused = await CliProcess.RunAsync(sync, RunLimit, store.Environment);
        Assert.NotEqual(0, refused.ExitCode);
        AssertNamesTheFault(refused, faultWords);
        Assert.Empty((await CheckAsync(audit, store, history)).Problems);

        store.Proxy.Probability = 0.15;
        var faultsBefore = store.Proxy.Faults;
        var failures = 0;
        CliResult run;
        var runs = 0;
        do
        {
            run = await CliProcess.RunAsync(sync, RunLimit, store.Environment);
            runs++;
            var result = await CheckAsync(audit, store, history);
            Assert.True(result.Problems.Count == 0, string.Join("\n", result.Problems));
            if (run.ExitCode != 0)
            {
                failures++;
                AssertNamesTheFault(run, faultWords);
                output.WriteLine($"run {runs} failed: {run.StderrLines.LastOrDefault(l => l.Length > 0)}");
            }
        }
        while (run.ExitCode != 0 && runs < MaxRuns);

        output.WriteLine($"{storeName}: converged after {runs} runs ({failures} failed); at 15% the proxy injected {store.Proxy.Faults - faultsBefore} faults " +
                         $"and forwarded {store.Proxy.Forwarded} requests ({store.Proxy.UploadStatusAnswers} upload status queries answered by the proxy)");
        Assert.True(run.ExitCode == 0, $"no run converged in {MaxRuns}: {run}");
        Assert.Equal(Versions - 1, history.Latest);
        Assert.True(store.Proxy.Faults > faultsBefore);
        var full = await CheckAsync(audit, store, history, full: true);
        Assert.True(full.Problems.Count == 0, string.Join("\n", full.Problems));
    }

    [Fact]
    public async Task A_full_disk_fails_the_run_naming_it_leaves_a_valid_replica_and_the_run_after_space_is_freed_converges()
    {
        using var provider = new TempDirectory("disk-full-provider");
        using var replica = new TempDirectory("disk-full-replica");
        await TrialProvider.BuildAsync(provider.Path, Versions, seed: 13);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [Table] = provider.Path });
        var disk = new FullDisk(new LocalObjectStore(replica.Path), freeBytes: 60_000);
        var audit = new ReplicaAudit(provider.Path, sharing.Address(Table).QualifiedName);
        var history = new ReplicaAudit.History();

        var full = await Assert.ThrowsAsync<IOException>(() => SyncAsync(sharing, disk));
        Assert.Contains("No space left on device", full.Message);
        var left = await audit.CheckAsync(new LocalObjectStore(replica.Path), history, full: true, default);
        Assert.Empty(left.Problems);
        Assert.True((left.Latest ?? -1) < Versions - 1, $"the disk was not full before the end (replica at {left.Latest})");

        disk.FreeBytes = long.MaxValue;
        Assert.True((await SyncAsync(sharing, disk)).Reached);
        await ReplicaComparer.AssertAlignedAsync(provider.Path, replica.Path, sharing.Address(Table).QualifiedName);
        output.WriteLine($"the disk filled at replica version {left.Latest?.ToString() ?? "none"}; the next run converged");
    }

    private static async Task<SyncReport> SyncAsync(SharingFixture sharing, IObjectStore target)
    {
        using var client = sharing.Client();
        using var http = FileHttp.CreateClient();
        return await new SyncEngine(client, target, http, new SyncOptions()).RunAsync(sharing.Address(Table), null, null, default);
    }

    private static void AssertNamesTheFault(CliResult run, IReadOnlyList<string> faultWords)
    {
        Assert.True(faultWords.Any(w => run.Stderr.Contains(w, StringComparison.Ordinal)), $"the failure does not name the store's error: {run}");
        Assert.DoesNotContain(MotoServer.SecretKey, run.Stderr);
        Assert.DoesNotContain(AzuriteServer.AccountKey, run.Stderr);
    }

    private static async Task<ReplicaAudit.Result> CheckAsync(ReplicaAudit audit, FaultyStore faulty, ReplicaAudit.History history, bool full = false)
    {
        var store = faulty.OpenDirect();
        try
        {
            return await audit.CheckAsync(store, history, full, default);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>A local disk with little free space: writes past it fail as the OS fails them (ENOSPC), leaving no partial object.</summary>
    private sealed class FullDisk(IObjectStore inner, long freeBytes) : ForwardingStore(inner)
    {
        private long _used;

        public long FreeBytes { get; set; } = freeBytes;

        public override async Task<long> WriteAsync(string path, Stream content, CancellationToken ct)
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, ct);
            Reserve(path, buffer.Length);
            buffer.Position = 0;
            return await Inner.WriteAsync(path, buffer, ct);
        }

        public override Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
        {
            Reserve(path, content.Length);
            return Inner.PutIfAbsentAsync(path, content, ct);
        }

        private void Reserve(string path, long bytes)
        {
            if (Interlocked.Add(ref _used, bytes) > FreeBytes)
                throw new IOException($"No space left on device : '{path}'", 28);
        }
    }
}
