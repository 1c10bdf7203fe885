using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Delta;

public class CommitWriterTests
{
    [Fact]
    public async Task Two_concurrent_writers_of_one_version_never_both_win()
    {
        using var dir = new TempDirectory();
        for (var version = 0; version < 50; version++)
        {
            var store = new LocalObjectStore(dir.Path);
            var contenders = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
            {
                try
                {
                    await new CommitWriter(store).WriteAsync(version, [new CommitInfo { Timestamp = version, Operation = $"writer-{i}" }], default);
                    return i;
                }
                catch (CommitConflictException)
                {
                    return -1;
                }
            })).ToArray();
            var winners = (await Task.WhenAll(contenders)).Where(i => i >= 0).ToArray();
            var winner = Assert.Single(winners);
            var commit = await new DeltaLog(store).ReadCommitAsync(version, null, default);
            Assert.Equal($"writer-{winner}", Assert.IsType<CommitInfo>(Assert.Single(commit.Actions)).Operation);
        }
        Assert.Empty(Directory.GetFiles(dir.Combine("_delta_log"), ".*"));
    }

    [Fact]
    public async Task An_existing_commit_is_never_overwritten()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        var writer = new CommitWriter(store);
        await writer.WriteAsync(0, TestTables.CreateActions(), default);
        var before = await File.ReadAllBytesAsync(dir.Combine("_delta_log", "00000000000000000000.json"));
        var e = await Assert.ThrowsAsync<CommitConflictException>(() => writer.WriteAsync(0, [new CommitInfo { Timestamp = 1 }], default));
        Assert.Equal(0, e.Version);
        Assert.Equal(before, await File.ReadAllBytesAsync(dir.Combine("_delta_log", "00000000000000000000.json")));
    }
}
