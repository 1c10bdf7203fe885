using System.Text;
using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>
/// A snapshot served in pages is read from the log once, for its first page; the later pages come from the files kept
/// in page order. A table written again between pages is read afresh, and nothing is kept after the last page.
/// </summary>
public sealed class SnapshotPagesTests
{
    [Fact]
    public async Task PagesAfterTheFirstAreServedWithoutReadingTheLogAgain()
    {
        using var table = await TableOfAsync(7);
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));
        var (first, token) = await PageAsync(server, null);

        // Same size and time, other bytes: the listing looks the same, but a replay would read garbage.
        var commit = CommitFile(table);
        var time = File.GetLastWriteTimeUtc(commit);
        var garbage = Encoding.ASCII.GetBytes(new string('x', (int)new FileInfo(commit).Length));
        await File.WriteAllBytesAsync(commit, garbage);
        File.SetLastWriteTimeUtc(commit, time);

        var seen = new List<long>(first);
        while (token is not null)
        {
            var (files, next) = await PageAsync(server, token);
            seen.AddRange(files);
            token = next;
        }
        Assert.Equal(Enumerable.Range(100, 7).Select(size => (long)size), seen);

        // The last page was served: the next query replays the log, which now fails to parse.
        using var again = await server.QueryAsync("t", new { maxFiles = 3 });
        Assert.NotEqual(200, (int)again.StatusCode);
    }

    [Fact]
    public async Task ATableWrittenAgainBetweenPagesIsReadAfresh()
    {
        using var table = await TableOfAsync(7);
        await using var server = await TestServer.StartAsync(TestServer.SingleTable(table.Location));
        var (_, token) = await PageAsync(server, null);

        Directory.Delete(Path.Combine(table.Location, "_delta_log"), recursive: true);
        var adds = new List<DeltaAction> { TempTable.Protocol(), TempTable.Metadata() };
        for (var i = 0; i < 7; i++)
            adds.Add(await table.DataFileAsync($"g{i}.parquet", size: 200 + i));
        await table.CommitAsync(0, 1000, [.. adds]);

        var (files, _) = await PageAsync(server, token);
        Assert.Equal([203L, 204L, 205L], files);
    }

    [Fact]
    public async Task AListingNoPageAsksForIsDroppedAndBuiltAgainWhenAsked()
    {
        using var table = await TableOfAsync(3);
        var segment = await SegmentAsync(table);
        var pages = new SnapshotPages(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        var builds = 0;
        async Task<PagedSnapshot> Build()
        {
            builds++;
            return new PagedSnapshot(new Snapshot(), await SpilledAdds.WriteAsync(AsyncEnumerable.Empty<AddFile>(), default));
        }

        (await pages.LeaseAsync(segment, Build, default)).Files.Release();
        (await pages.LeaseAsync(segment, Build, default)).Files.Release();
        Assert.Equal(1, builds);
        // Waits for the idle timer of 50 ms, up to a minute so a slow machine cannot fail it, a broken timer can.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (pages.Holds && waited.Elapsed < TimeSpan.FromMinutes(1))
            await Task.Delay(20);
        Assert.False(pages.Holds);
        var kept = await pages.LeaseAsync(segment, Build, default);
        Assert.Equal(2, builds);
        kept.Files.Release();
        pages.Served(segment);
        Assert.False(pages.Holds);
        // Served and released by its reader: the file is closed, and a reader coming late cannot take a lease on it.
        Assert.False(kept.Files.TryAcquire());
    }

    [Fact]
    public async Task ARequestWhoseListingIsReplacedWhileItIsBuiltStillReadsIt()
    {
        using var older = await TableOfAsync(2);
        using var newer = await TableOfAsync(3);
        var (first, second) = (await SegmentAsync(older), await SegmentAsync(newer));
        var pages = new SnapshotPages(TimeSpan.FromMinutes(5), TimeProvider.System);
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builds = 0;
        async Task<PagedSnapshot> Build(int count, Task gate)
        {
            Interlocked.Increment(ref builds);
            await gate;
            var adds = Enumerable.Range(0, count).Select(i => new AddFile { Path = $"f{i}", Size = i });
            return new PagedSnapshot(new Snapshot(), await SpilledAdds.WriteAsync(adds.ToAsyncEnumerable(), default));
        }

        var waiting = pages.LeaseAsync(first, () => Build(2, slow.Task), default);
        // Another version replaces the listing being built; the first request must still get (and read) its own.
        var other = await pages.LeaseAsync(second, () => Build(3, Task.CompletedTask), default);
        slow.SetResult();
        var mine = await waiting;

        Assert.Equal(["f0", "f1"], [mine.Files[0].Path, mine.Files[1].Path]);
        Assert.Equal(3, other.Files.Count);
        // Each listing was built once: the replaced one was not let go under the request that built it.
        Assert.Equal(2, builds);
        mine.Files.Release();
        // The replaced listing is let go by its owner (as its build ends) and by its only reader: closed. Waits up to a
        // minute for the owner's release, which runs beside this test's continuation.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!mine.Files.Closed && waited.Elapsed < TimeSpan.FromMinutes(1))
            await Task.Delay(10);
        Assert.True(mine.Files.Closed);
        Assert.False(other.Files.Closed);
        other.Files.Release();
    }

    private static async Task<LogSegment> SegmentAsync(TempTable table) =>
        (await LogSegment.BuildAsync(new ReplicaSync.Storage.LocalObjectStore(table.Location), null, CancellationToken.None))!;

    private static async Task<TempTable> TableOfAsync(int files)
    {
        var table = new TempTable();
        var actions = new List<DeltaAction> { TempTable.Protocol(), TempTable.Metadata() };
        for (var i = 0; i < files; i++)
            actions.Add(await table.DataFileAsync($"f{i}.parquet", size: 100 + i));
        await table.CommitAsync(0, 1000, [.. actions]);
        return table;
    }

    private static string CommitFile(TempTable table) => Path.Combine(table.Location, LogFileNames.Commit(0));

    /// <summary>One page of three files of the latest snapshot: the files' sizes (each file's own) and the next page's token.</summary>
    private static async Task<(List<long> Files, string? Next)> PageAsync(TestServer server, string? token)
    {
        using var response = await server.QueryAsync("t", new { maxFiles = 3, pageToken = token }, capabilities: "responseformat=delta");
        var lines = await TestServer.LinesAsync(response);
        var files = TestServer.Wrapped(lines, "file")
            .Select(f => f.GetProperty("deltaSingleAction").GetProperty("add").GetProperty("size").GetInt64())
            .ToList();
        var next = lines[^1].GetProperty("endStreamAction").TryGetProperty("nextPageToken", out var n) ? n.GetString() : null;
        return (files, next);
    }
}
