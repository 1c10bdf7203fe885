using System.Runtime.CompilerServices;
using ReplicaSync.Sharing;
using ReplicaSync.SharingServer;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// A run's first round trips (the replica's LIST, the provider's version, a new replica's history probe) run together.
/// Each overlap is proven by holding one step until the other has reached the provider: run one after the other, the
/// held step would wait forever, so every hold gives up after <see cref="Patience"/> with an error that says so.
/// </summary>
public class RunStartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly SyncOptions FastRetries = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
    private static Dictionary<string, string> SimpleTable => new() { ["simple"] = TestPaths.Table("simple_table") };

    [Fact]
    public async Task The_replica_LIST_and_the_version_call_are_in_flight_together_and_only_a_new_replica_probes_history()
    {
        await using var sharing = await SharingFixture.StartAsync(SimpleTable);
        using var replica = new TempDirectory("replica");
        var faults = sharing.Host.Faults;

        // A new replica: the LIST is held until the provider has the version call.
        var store = new HeldListStore(new LocalObjectStore(replica.Path), ct => UntilAsync(() => faults.RequestCount(RequestKind.Version) >= 1, ct));
        var report = await RunAsync(sharing, store, default);
        Assert.True(report.Reached);
        Assert.Equal(2, faults.RequestCount(RequestKind.Version)); // the latest version and the history probe
        await ReplicaComparer.AssertAlignedAsync(TestPaths.Table("simple_table"), replica.Path, "share.default.simple");

        // An existing replica: the same overlap, and one version call only (no history probe).
        store = new HeldListStore(new LocalObjectStore(replica.Path), ct => UntilAsync(() => faults.RequestCount(RequestKind.Version) >= 3, ct));
        report = await RunAsync(sharing, store, default);
        Assert.True(report.Reached);
        Assert.Empty(report.Versions);
        Assert.Equal(3, faults.RequestCount(RequestKind.Version));
    }

    [Fact]
    public async Task A_new_replica_probes_history_while_the_latest_version_call_is_still_unanswered()
    {
        await using var sharing = await SharingFixture.StartAsync(SimpleTable);
        using var replica = new TempDirectory("replica");
        var faults = sharing.Host.Faults;
        // The first version call to arrive (the LIST waits for it, so it is the latest-version call) is never answered in time.
        faults.Add(new FaultRule { Match = FaultMatch.Version, DelayMilliseconds = 600_000, Times = 1 });
        var store = new HeldListStore(new LocalObjectStore(replica.Path), ct => UntilAsync(() => faults.RequestCount(RequestKind.Version) >= 1, ct));
        using var stop = new CancellationTokenSource();

        var run = RunAsync(sharing, store, stop.Token);
        await UntilAsync(() => faults.RequestCount(RequestKind.Version) >= 2, default);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Empty(Directory.GetFileSystemEntries(replica.Path));
    }

    [Fact]
    public async Task A_refused_version_call_cancels_the_replica_load_and_is_the_error_the_caller_sees()
    {
        await using var sharing = await SharingFixture.StartAsync(SimpleTable);
        using var replica = new TempDirectory("replica");
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.Version, Status = 401 });
        // The LIST only ends when the run cancels it.
        var store = new HeldListStore(new LocalObjectStore(replica.Path), async ct =>
        {
            await Task.Delay(Patience, ct);
            throw new TimeoutException($"the replica's LIST was not cancelled within {Patience.TotalSeconds} s: the version call did not run beside it or its failure did not stop the run");
        });

        var e = await Assert.ThrowsAsync<SharingHttpException>(() => RunAsync(sharing, store, default));

        Assert.Equal(401, e.StatusCode);
        Assert.True(store.ListCancelled);
        Assert.Empty(Directory.GetFileSystemEntries(replica.Path));
    }

    [Fact]
    public async Task A_failed_LIST_cancels_the_unanswered_version_call_and_is_the_error_the_caller_sees()
    {
        await using var sharing = await SharingFixture.StartAsync(SimpleTable);
        using var replica = new TempDirectory("replica");
        var faults = sharing.Host.Faults;
        faults.Add(new FaultRule { Match = FaultMatch.Version, DelayMilliseconds = 600_000 });
        var store = new HeldListStore(new LocalObjectStore(replica.Path), async ct =>
        {
            await UntilAsync(() => faults.RequestCount(RequestKind.Version) >= 1, ct);
            throw new IOException("the store refused the LIST");
        });

        // Not cancelled, the version call would hold the run far past the patience given here.
        var e = await Assert.ThrowsAsync<IOException>(() => RunAsync(sharing, store, default).WaitAsync(Patience));

        Assert.Equal("the store refused the LIST", e.Message);
        Assert.Equal(1, faults.RequestCount(RequestKind.Version));
        Assert.Empty(Directory.GetFileSystemEntries(replica.Path));
    }

    private static async Task<SyncReport> RunAsync(SharingFixture sharing, IObjectStore store, CancellationToken ct)
    {
        using var client = sharing.Client();
        using var http = FileHttp.CreateClient();
        return await new SyncEngine(client, store, http, FastRetries).RunAsync(sharing.Address("simple"), null, null, ct);
    }

    /// <summary>Waits until <paramref name="condition"/> holds; after <see cref="Patience"/> fails, naming the step that never came.</summary>
    private static async Task UntilAsync(Func<bool> condition, CancellationToken ct)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(Patience);
        try
        {
            while (!condition())
                await Task.Delay(5, patience.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"the awaited provider request did not arrive within {Patience.TotalSeconds} s: the start-up steps ran one after the other");
        }
    }

    /// <summary>A local store whose first LIST is held by a gate; it records whether the held LIST was cancelled.</summary>
    private sealed class HeldListStore(LocalObjectStore inner, Func<CancellationToken, Task> gate) : ForwardingStore(inner)
    {
        private int _lists;
        public bool ListCancelled { get; private set; }

        public override async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
        {
            if (Interlocked.Increment(ref _lists) == 1)
            {
                try
                {
                    await gate(ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    ListCancelled = true;
                    throw;
                }
            }
            await foreach (var info in Inner.ListAsync(prefix, ct))
                yield return info;
        }
    }
}
