using System.Net;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>A table whose log starts at a checkpoint (commits before it cleaned up) is served from the checkpoint on.</summary>
public sealed class CheckpointTableTests
{
    private static Task<TestServer> StartAsync() => TestServer.StartAsync(TestServer.SingleTable(TestPaths.Table("checkpoint_with_partitions")));

    [Fact]
    public async Task Version_metadata_and_snapshot_come_from_the_checkpoint()
    {
        await using var server = await StartAsync();
        using var version = await server.Http.GetAsync(server.TableUrl("t") + "/version");
        Assert.Equal("2", TestServer.Header(version, "Delta-Table-Version"));

        var snapshot = await new DeltaLog(new LocalObjectStore(TestPaths.Table("checkpoint_with_partitions"))).LoadSnapshotAsync(null, default);
        var lines = await server.QueryLinesAsync("t", new { });
        var files = lines.Where(l => l.TryGetProperty("file", out _)).ToList();
        Assert.Equal(snapshot!.Files.Count, files.Count);
        var metadata = lines[1].GetProperty("metaData");
        Assert.Equal(snapshot.Files.Count, metadata.GetProperty("numFiles").GetInt64());
        Assert.Equal(snapshot.SizeInBytes, metadata.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task Versions_before_the_checkpoint_are_refused_with_the_earliest_one_named()
    {
        await using var server = await StartAsync();
        using var old = await server.QueryAsync("t", new { version = 1 });
        await TestServer.AssertErrorAsync(old, 400, "INVALID_PARAMETER_VALUE");
        using var changes = await server.QueryAsync("t", new { startingVersion = 1 });
        var text = await changes.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, changes.StatusCode);
        Assert.Contains("since version 3", text);
        using var epoch = await server.Http.GetAsync(server.TableUrl("t") + "/version?startingTimestamp=1970-01-01T00:00:00Z");
        Assert.Equal("2", TestServer.Header(epoch, "Delta-Table-Version"));
    }
}
