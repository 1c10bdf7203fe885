using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Benchmarks;

/// <summary>
/// The copy engine over loopback: an in-process Kestrel server serves one random blob (with Range) under many
/// names, and the engine copies a file set into a local store (tmpfs when the machine has /dev/shm), with its
/// checksums, resumable reads and, for large files, parallel ranged reads. Throughput = bytes / mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 8)]
public class CopyBenchmarks
{
    private WebApplication _server = null!;
    private HttpClient _http = null!;
    private SharingClient _sharing = null!;
    private string _base = null!;
    private string _target = null!;

    /// <summary>"256x1MiB" (many small files) or "4x64MiB" (few large files, read as parallel ranges).</summary>
    [Params("256x1MiB", "4x64MiB")]
    public string Set { get; set; } = "";

    private (int Count, int Size) Shape => Set == "256x1MiB" ? (256, 1 << 20) : (4, 64 << 20);

    [GlobalSetup]
    public void Setup()
    {
        var blob = new byte[Shape.Size];
        new Random(1).NextBytes(blob);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/f/{name}", (string name) => Results.Bytes(blob, "application/octet-stream", enableRangeProcessing: true));
        _server.StartAsync().GetAwaiter().GetResult();
        _base = _server.Urls.First() + "/f/";
        _http = FileHttp.CreateClient();
        // The engine only calls the provider to re-issue URLs, which never expire here.
        _sharing = new SharingClient(new SharingProfile(1, new Uri("http://127.0.0.1:9/"), "unused", null));
        var tmpfs = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _target = Path.Combine(tmpfs, "replicasync-copy-bench-" + Environment.ProcessId);
    }

    [IterationCleanup]
    public void Clean()
    {
        if (Directory.Exists(_target))
            Directory.Delete(_target, recursive: true);
    }

    [GlobalCleanup]
    public void TearDown()
    {
        Clean();
        _http.Dispose();
        _sharing.Dispose();
        _server.StopAsync().GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task<long> Copy()
    {
        var options = new SyncOptions();
        var engine = new CopyEngine(new LocalObjectStore(_target), _http, options);
        using var cancel = new CancellationTokenSource();
        var workers = engine.RunAsync(cancel.Token);
        var plan = new VersionPlan(1, 0);
        for (var i = 0; i < Shape.Count; i++)
        {
            var line = new FileLine(FileActionKind.Add, $"file{i}", _base + $"file{i}", new Dictionary<string, string?>(), Shape.Size,
                null, true, 1, 0, null, null, null);
            plan.Adds.Add(new PlannedFile(line, $"part-{i:D5}.parquet", new AddFile { Path = $"part-{i:D5}.parquet", Size = Shape.Size }, null));
        }
        var urls = new UrlQuery(_sharing, new TableAddress("bench.share", "bench", "default", "t"), new QueryRequest(), options);
        var version = await engine.EnqueueAsync(plan, urls, cancel.Token);
        engine.Complete();
        var stats = await version.WhenDurableAsync(cancel.Token);
        await workers;
        return stats.BytesCopied;
    }
}
