using System.Text;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

public class LocalObjectStoreTests
{
    [Theory]
    [InlineData("../outside")]
    [InlineData("a/../../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("a\\..\\b")]
    [InlineData("./a")]
    [InlineData("")]
    public async Task Keys_that_could_leave_the_root_are_rejected(string key)
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Combine("root"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(key, new MemoryStream([1]), default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutIfAbsentAsync(key, new byte[] { 1 }, default));
        Assert.False(Directory.Exists(dir.Combine("outside")) || File.Exists(dir.Combine("outside")));
    }

    [Fact]
    public async Task Write_replaces_atomically_and_reads_back_whole_or_ranged()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        await store.WriteAsync("d/f.bin", new MemoryStream(Encoding.ASCII.GetBytes("first version")), default);
        var n = await store.WriteAsync("d/f.bin", new MemoryStream(Encoding.ASCII.GetBytes("0123456789")), default);
        Assert.Equal(10, n);
        Assert.Equal("0123456789", await ReadAll(await store.OpenReadAsync("d/f.bin", null, default)));
        Assert.Equal("345", await ReadAll(await store.OpenReadAsync("d/f.bin", new ByteRange(3, 3), default)));
        Assert.Equal("789", await ReadAll(await store.OpenReadAsync("d/f.bin", new ByteRange(7, null), default)));
        Assert.Equal(10, (await store.StatAsync("d/f.bin", default))!.Size);
        Assert.Single(Directory.GetFiles(dir.Combine("d")));
    }

    [Fact]
    public async Task A_failed_write_leaves_no_object_and_no_temp_file()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("f.bin", new FailingStream(), default));
        Assert.Null(await store.StatAsync("f.bin", default));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Missing_objects_stat_null_and_open_throws()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        Assert.Null(await store.StatAsync("nope", default));
        var e = await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.OpenReadAsync("no/pe", null, default));
        Assert.Equal("no/pe", e.Path);
        await store.DeleteAsync("nope", default);
    }

    [Fact]
    public async Task List_returns_keys_under_a_prefix_in_order()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        foreach (var key in new[] { "_delta_log/2.json", "_delta_log/1.json", "x=1/a", "_delta_log_other", "_delta_log/sub/3.json" })
            await store.WriteAsync(key, new MemoryStream([1, 2]), default);
        var keys = new List<string>();
        await foreach (var info in store.ListAsync("_delta_log/", default))
            keys.Add(info.Path);
        Assert.Equal(["_delta_log/1.json", "_delta_log/2.json", "_delta_log/sub/3.json"], keys);
    }

    [Fact]
    public async Task Keys_alone_and_listings_after_a_key_agree_with_the_full_listing()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        foreach (var key in new[] { "_delta_log/2.json", "_delta_log/1.json", "x=1/a", "_delta_log/sub/3.json" })
            await store.WriteAsync(key, new MemoryStream([1, 2]), default);
        // A writer's hidden temp file is listed like any file (vacuum finds debris that way); a directory is not.
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, "_delta_log", ".4.json" + LocalObjectStore.TempMarker + "x"), [1]);
        Directory.CreateDirectory(Path.Combine(dir.Path, "_delta_log", "empty"));

        var full = new List<string>();
        await foreach (var info in store.ListAsync("_delta_log/", default))
            full.Add(info.Path);
        var keys = new List<string>();
        await foreach (var key in ((IObjectStore)store).ListKeysAsync("_delta_log/", default))
            keys.Add(key);
        var after = new List<(string, long)>();
        await foreach (var info in ((IObjectStore)store).ListAsync("_delta_log/", "_delta_log/1.json", default))
            after.Add((info.Path, info.Size));

        Assert.Equal(["_delta_log/.4.json" + LocalObjectStore.TempMarker + "x", "_delta_log/1.json", "_delta_log/2.json", "_delta_log/sub/3.json"], full);
        Assert.Equal(full, keys);
        Assert.Equal([("_delta_log/2.json", 2L), ("_delta_log/sub/3.json", 2L)], after);
    }

    [Fact]
    public async Task A_deferred_write_is_whole_and_visible_at_once_and_made_durable_with_the_batch()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        var n = await store.WriteDeferredAsync("p=1/f.bin", new MemoryStream(Encoding.ASCII.GetBytes("0123456789")), default);
        Assert.Equal(10, n);
        Assert.Equal("0123456789", await ReadAll(await store.OpenReadAsync("p=1/f.bin", null, default)));
        await store.MakeDurableAsync(default);
        // A second batch is synced too, and a failed deferred write leaves nothing behind.
        await store.WriteDeferredAsync("p=1/g.bin", new MemoryStream([1, 2, 3]), default);
        await Assert.ThrowsAsync<IOException>(() => store.WriteDeferredAsync("p=1/h.bin", new FailingStream(), default));
        await store.MakeDurableAsync(default);
        Assert.Equal(["f.bin", "g.bin"], Directory.GetFiles(dir.Combine("p=1")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_directory_removed_after_a_write_is_made_again_by_the_next_one()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        await store.WriteAsync("p=1/f.bin", new MemoryStream([1]), default);
        Directory.Delete(dir.Combine("p=1"), recursive: true);
        await store.WriteDeferredAsync("p=1/g.bin", new MemoryStream([1, 2]), default);
        await store.WriteAsync("p=1/h.bin", new MemoryStream([1, 2, 3]), default);
        Assert.Equal((2L, 3L), ((await store.StatAsync("p=1/g.bin", default))!.Size, (await store.StatAsync("p=1/h.bin", default))!.Size));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_write_in_progress_has_no_name_where_unnamed_files_exist_else_only_a_hidden_temp_one(bool unnamed)
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path, unnamed);
        await store.WriteAsync("d/old.bin", new MemoryStream([1]), default);
        var content = new GatedStream([1, 2, 3]);
        var write = store.WriteAsync("d/f.bin", content, default);
        await content.Started.Task;
        var during = Directory.GetFiles(dir.Combine("d")).Select(Path.GetFileName).Where(n => n != "old.bin").ToList();
        content.Open.SetResult();
        Assert.Equal(3, await write);

        Assert.Equal(unnamed && OperatingSystem.IsLinux(), store.UsesUnnamedFiles);
        if (unnamed && OperatingSystem.IsLinux())
            Assert.Empty(during);
        else
            Assert.Contains(LocalObjectStore.TempMarker, Assert.Single(during));
        Assert.Equal(["f.bin", "old.bin"], Directory.GetFiles(dir.Combine("d")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Replacing_and_put_if_absent_leave_exactly_the_objects_and_no_temp_file(bool unnamed)
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path, unnamed);
        await store.WriteAsync("f.bin", new MemoryStream([1]), default);
        await store.WriteDeferredAsync("f.bin", new MemoryStream([2, 2]), default);
        Assert.True(await store.PutIfAbsentAsync("g.json", new byte[] { 3 }, default));
        Assert.False(await store.PutIfAbsentAsync("g.json", new byte[] { 4, 4 }, default));
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("f.bin", new FailingStream(), default));

        Assert.Equal(["f.bin", "g.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([2, 2], await File.ReadAllBytesAsync(dir.Combine("f.bin")));
        Assert.Equal([3], await File.ReadAllBytesAsync(dir.Combine("g.json")));
    }

    private static async Task<string> ReadAll(Stream stream)
    {
        await using (stream)
        {
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync();
        }
    }

    /// <summary>Gives its bytes, then holds the reader at the end until <see cref="Open"/> is set.</summary>
    private sealed class GatedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (Position == Length)
            {
                Started.TrySetResult();
                await Open.Task.WaitAsync(ct);
            }
            return await base.ReadAsync(buffer, ct);
        }
    }

    private sealed class FailingStream : MemoryStream
    {
        public FailingStream() : base(new byte[100]) { }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Position > 10 ? throw new IOException("connection reset") : base.ReadAsync(buffer[..Math.Min(buffer.Length, 20)], ct);
    }
}
