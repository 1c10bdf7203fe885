using System.Collections.Concurrent;
using ReplicaSync.SharingServer;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

public class SyncObserverTests
{
    [Fact]
    public async Task The_observer_hears_every_planned_version_copied_byte_retry_and_commit()
    {
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = TestPaths.Table("delta-0.8.0-partitioned") });
        sharing.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, Status = 503, Times = 2 });
        using var replica = new TempDirectory("replica");
        var observer = new RecordingObserver();
        var options = new SyncOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10), Observer = observer };

        var report = await ReplicationTests.SyncAsync(sharing, "t", replica.Path, options);

        Assert.Equal(report.Versions.Select(v => v.Version), observer.Planned.Select(p => p.Version));
        Assert.Equal(report.Versions.Select(v => v.Version), observer.Committed.Select(r => r.Version));
        Assert.Equal(report.Versions.Sum(v => v.FilesAdded), observer.Planned.Sum(p => p.Files));
        Assert.Equal(report.BytesCopied, Interlocked.Read(ref observer.Bytes));
        Assert.Equal(report.FilesCopied, observer.Files.Count(f => !f.Reused));
        Assert.Equal(report.BytesCopied, observer.Files.Where(f => !f.Reused).Sum(f => f.Bytes));
        Assert.Equal(["503", "503"], observer.Retries.ToArray());
        Assert.True(report.BytesCopied > 0);
    }

    private sealed class RecordingObserver : ISyncObserver
    {
        public long Bytes;
        public readonly List<(long Version, int Files, long Bytes)> Planned = [];
        public readonly List<VersionReport> Committed = [];
        public readonly ConcurrentQueue<(long Bytes, bool Reused)> Files = new();
        public readonly ConcurrentQueue<string> Retries = new();

        public void VersionPlanned(long version, int files, long bytes) => Planned.Add((version, files, bytes));
        public void BytesCopied(long bytes) => Interlocked.Add(ref Bytes, bytes);
        public void FileCopied(long bytes, bool reused) => Files.Enqueue((bytes, reused));
        public void Retried(string reason) => Retries.Enqueue(reason);
        public void VersionCommitted(VersionReport report) => Committed.Add(report);
    }
}
