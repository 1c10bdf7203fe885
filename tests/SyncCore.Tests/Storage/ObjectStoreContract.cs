using System.Security.Cryptography;
using System.Text;
using ReplicaSync.Storage;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IObjectStore"/> backend must show, run unchanged against each one (rclone's
/// integration-suite idea). A subclass only says how to make a fresh, empty store, and how one with bad credentials fails.
/// </summary>
public abstract class ObjectStoreContract
{
    private const int LargeSize = 40 << 20;

    /// <summary>A new store with nothing in it, private to the calling test.</summary>
    protected abstract Task<IObjectStore> CreateStoreAsync();

    /// <summary>
    /// Null when the backend enforces put-if-absent; otherwise why this peer cannot (an emulator that ignores the
    /// precondition) and which focused test covers the request we send. The put-if-absent tests then assert only
    /// what still holds: every writer finishes and the object holds one writer's whole content.
    /// </summary>
    protected virtual string? PutIfAbsentNotEnforcedBecause => null;

    /// <summary>
    /// A store reached with credentials the backend rejects, the secret that must not show in any error, and text
    /// every error must contain. Every backend overrides this; one with no credentials to get wrong returns null and
    /// says why. (Not abstract, so a backend added in parallel still compiles; it fails this test until it answers.)
    /// </summary>
    protected virtual Task<BadCredentialsCase?> CreateStoreWithBadCredentialsAsync() =>
        throw new InvalidOperationException($"{GetType().Name} must override CreateStoreWithBadCredentialsAsync (returning null, with the reason, if it has no credentials)");

    /// <summary>See <see cref="CreateStoreWithBadCredentialsAsync"/>.</summary>
    protected sealed record BadCredentialsCase(IObjectStore Store, string Secret, string ExpectedMessage);

    [Fact]
    public async Task Objects_read_back_whole_and_by_range()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(10, await store.WriteAsync("d/f.bin", Text("0123456789"), default));
        Assert.Equal("0123456789", await ReadAsync(store, "d/f.bin", null));
        Assert.Equal("012", await ReadAsync(store, "d/f.bin", new ByteRange(0, 3)));
        Assert.Equal("345", await ReadAsync(store, "d/f.bin", new ByteRange(3, 3)));
        Assert.Equal("789", await ReadAsync(store, "d/f.bin", new ByteRange(7, null)));
        Assert.Equal("789", await ReadAsync(store, "d/f.bin", new ByteRange(7, 100)));
        Assert.Equal("", await ReadAsync(store, "d/f.bin", new ByteRange(10, null)));
        Assert.Equal("", await ReadAsync(store, "d/f.bin", new ByteRange(25, 5)));
        Assert.Equal("", await ReadAsync(store, "d/f.bin", new ByteRange(2, 0)));
    }

    [Fact]
    public async Task Stat_describes_present_objects_and_is_null_for_missing_ones()
    {
        var store = await CreateStoreAsync();
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);
        await store.WriteAsync("a/b/c.json", Text("{}\n"), default);
        var info = await store.StatAsync("a/b/c.json", default);
        Assert.NotNull(info);
        Assert.Equal(("a/b/c.json", 3L), (info.Path, info.Size));
        Assert.InRange(info.LastModified, before, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Null(await store.StatAsync("a/b/missing.json", default));
        Assert.Null(await store.StatAsync("a/b", default));
    }

    [Fact]
    public async Task Opening_a_missing_object_throws_ObjectNotFound()
    {
        var store = await CreateStoreAsync();
        var e = await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.OpenReadAsync("no/such.bin", null, default));
        Assert.Equal("no/such.bin", e.Path);
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.OpenReadAsync("no/such.bin", new ByteRange(1, 2), default));
    }

    [Fact]
    public async Task An_overwrite_replaces_the_object_and_readers_see_old_or_new_never_a_mix()
    {
        var store = await CreateStoreAsync();
        var contents = new[] { new string('a', 256 << 10), new string('b', 300 << 10) };
        await store.WriteAsync("f", Text(contents[0]), default);
        using var done = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            var reads = 0;
            while (!done.IsCancellationRequested || reads == 0)
            {
                Assert.Contains(await ReadAsync(store, "f", null), contents);
                reads++;
            }
            return reads;
        });
        for (var i = 1; i <= 6; i++)
            await store.WriteAsync("f", Text(contents[i % 2]), default);
        await done.CancelAsync();
        Assert.True(await reader > 0);
        Assert.Equal(contents[0], await ReadAsync(store, "f", null));
        Assert.Equal(["f"], await KeysAsync(store, ""));
    }

    [Fact]
    public async Task Put_if_absent_lets_the_first_writer_win_and_keeps_its_content()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.PutIfAbsentAsync("_delta_log/00000000000000000000.json", Encoding.UTF8.GetBytes("first"), default));
        var second = await store.PutIfAbsentAsync("_delta_log/00000000000000000000.json", Encoding.UTF8.GetBytes("second"), default);
        if (PutIfAbsentNotEnforcedBecause is not null)
        {
            Assert.Contains(await ReadAsync(store, "_delta_log/00000000000000000000.json", null), new[] { "first", "second" });
            return;
        }
        Assert.False(second);
        Assert.Equal("first", await ReadAsync(store, "_delta_log/00000000000000000000.json", null));
    }

    [Fact]
    public async Task Of_eight_concurrent_put_if_absent_exactly_one_wins()
    {
        var store = await CreateStoreAsync();
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (Writer: i, Won: await store.PutIfAbsentAsync("race.json", Encoding.UTF8.GetBytes($"writer {i}"), default));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(racers);
        if (PutIfAbsentNotEnforcedBecause is not null)
        {
            Assert.Contains(await ReadAsync(store, "race.json", null), results.Where(r => r.Won).Select(r => $"writer {r.Writer}"));
            return;
        }
        var winner = Assert.Single(results, r => r.Won);
        Assert.Equal($"writer {winner.Writer}", await ReadAsync(store, "race.json", null));
    }

    [Fact]
    public async Task List_returns_keys_under_a_prefix_in_ascending_order_including_nested_ones()
    {
        var store = await CreateStoreAsync();
        foreach (var key in new[] { "_delta_log/2.json", "_delta_log/1.json", "x=1/a", "_delta_log_other", "_delta_log/sub/3.json", "_delta_log/10.json" })
            await store.WriteAsync(key, new MemoryStream([1, 2]), default);
        Assert.Equal(["_delta_log/1.json", "_delta_log/10.json", "_delta_log/2.json", "_delta_log/sub/3.json"], await KeysAsync(store, "_delta_log/"));
        Assert.Equal(["_delta_log/1.json", "_delta_log/10.json", "_delta_log/2.json", "_delta_log/sub/3.json", "_delta_log_other"], await KeysAsync(store, "_delta_log"));
        Assert.Equal(6, (await KeysAsync(store, "")).Count);
        Assert.Empty(await KeysAsync(store, "nothing/"));
        var sizes = new List<long>();
        await foreach (var info in store.ListAsync("x=", default))
            sizes.Add(info.Size);
        Assert.Equal([2L], sizes);
    }

    [Fact]
    public async Task List_after_a_key_returns_only_the_keys_that_sort_after_it()
    {
        var store = await CreateStoreAsync();
        foreach (var key in new[] { "_delta_log/00.json", "_delta_log/01.json", "_delta_log/02.checkpoint.parquet", "_delta_log/02.json", "_delta_log/03.json", "other" })
            await store.WriteAsync(key, new MemoryStream([1]), default);
        var keys = new List<string>();
        await foreach (var info in store.ListAsync("_delta_log/", "_delta_log/01.json", default))
            keys.Add(info.Path);
        Assert.Equal(["_delta_log/02.checkpoint.parquet", "_delta_log/02.json", "_delta_log/03.json"], keys);
    }

    [Fact]
    public async Task List_pages_past_a_thousand_keys_returning_each_once_and_lazily()
    {
        var store = await CreateStoreAsync();
        var keys = Enumerable.Range(0, 1100).Select(i => $"many/{i:x4}.bin").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (key, ct) => await store.WriteAsync(key, new MemoryStream([7]), ct));
        Assert.Equal(keys, await KeysAsync(store, "many/"));
        var first = new List<string>();
        await foreach (var info in store.ListAsync("many/", default))
        {
            first.Add(info.Path);
            if (first.Count == 3)
                break;
        }
        Assert.Equal(keys[..3], first);
    }

    [Fact]
    public async Task Delete_removes_an_object_and_deleting_a_missing_one_is_fine()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync("d/gone", Text("x"), default);
        await store.WriteAsync("d/kept", Text("y"), default);
        await store.DeleteAsync("d/gone", default);
        await store.DeleteAsync("d/gone", default);
        await store.DeleteAsync("never/was", default);
        Assert.Null(await store.StatAsync("d/gone", default));
        Assert.Equal(["d/kept"], await KeysAsync(store, ""));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("")]
    public async Task Hostile_keys_are_rejected_by_every_operation(string key)
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(key, Text("x"), default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutIfAbsentAsync(key, new byte[] { 1 }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.StatAsync(key, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key, null, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(key, default));
        Assert.Empty(await KeysAsync(store, ""));
    }

    [Fact]
    public async Task A_large_object_streamed_from_a_non_seekable_source_reads_back_identical()
    {
        var store = await CreateStoreAsync();
        using var source = new GeneratedStream(LargeSize + 12345);
        Assert.Equal(LargeSize + 12345, await store.WriteAsync("big/file.parquet", source, default));
        Assert.Equal(LargeSize + 12345, (await store.StatAsync("big/file.parquet", default))!.Size);
        await using var back = await store.OpenReadAsync("big/file.parquet", null, default);
        Assert.Equal(source.Hash, Convert.ToHexString(await SHA256.HashDataAsync(back)));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(LargeSize / 2)]
    public async Task A_failed_write_leaves_no_object_and_does_not_touch_an_existing_one(int failAfter)
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync("kept", Text("old"), default);
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("new", new GeneratedStream(LargeSize, failAfter), default));
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("kept", new GeneratedStream(LargeSize, failAfter), default));
        Assert.Null(await store.StatAsync("new", default));
        Assert.Equal("old", await ReadAsync(store, "kept", null));
        Assert.Equal(["kept"], await KeysAsync(store, ""));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(LargeSize / 2)]
    public async Task A_cancelled_write_leaves_no_object(int cancelAfter)
    {
        var store = await CreateStoreAsync();
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync("new", new GeneratedStream(LargeSize, cancelAfter, cts), cts.Token));
        Assert.Null(await store.StatAsync("new", default));
        Assert.Empty(await KeysAsync(store, ""));
    }

    [Fact]
    public async Task Bad_credentials_fail_every_operation_with_a_clear_error_and_no_secret()
    {
        if (await CreateStoreWithBadCredentialsAsync() is not { } bad)
            return;
        var store = bad.Store;
        Exception[] errors =
        [
            await Assert.ThrowsAnyAsync<IOException>(() => store.WriteAsync("f.bin", Text("x"), default)),
            await Assert.ThrowsAnyAsync<IOException>(() => store.WriteAsync("big.bin", new GeneratedStream(LargeSize / 4), default)),
            await Assert.ThrowsAnyAsync<IOException>(() => store.PutIfAbsentAsync("_delta_log/00000000000000000000.json", new byte[] { 1 }, default)),
            await Assert.ThrowsAnyAsync<IOException>(() => store.StatAsync("f.bin", default)),
            await Assert.ThrowsAnyAsync<IOException>(() => store.OpenReadAsync("f.bin", null, default)),
            await Assert.ThrowsAnyAsync<IOException>(async () => await KeysAsync(store, "")),
            await Assert.ThrowsAnyAsync<IOException>(() => store.DeleteAsync("f.bin", default)),
        ];
        foreach (var error in errors)
        {
            Assert.Contains(bad.ExpectedMessage, error.Message);
            Assert.DoesNotContain(bad.Secret, error.ToString());
        }
    }

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text), writable: false);

    private static async Task<string> ReadAsync(IObjectStore store, string key, ByteRange? range)
    {
        await using var stream = await store.OpenReadAsync(key, range, default);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>The keys a listing under <paramref name="prefix"/> yields, in the order it yields them.</summary>
    internal static async Task<List<string>> KeysAsync(IObjectStore store, string prefix = "")
    {
        var keys = new List<string>();
        await foreach (var info in store.ListAsync(prefix, default))
            keys.Add(info.Path);
        return keys;
    }
}
