using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

public class LocalMultipartWriteTests
{
    [Fact]
    public async Task Parts_written_out_of_order_and_in_parallel_publish_one_whole_file()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        var data = new byte[10_000];
        new Random(1).NextBytes(data);
        await using (var write = await ((IMultipartWrites)store).BeginAsync("d/big.bin", data.Length, default))
        {
            Assert.Null(await store.StatAsync("d/big.bin", default));
            await Task.WhenAll(new[] { 2, 0, 1 }.Select(i =>
            {
                var offset = i * 4000;
                var length = Math.Min(4000, data.Length - offset);
                return write.WritePartAsync(i, offset, length, new MemoryStream(data, offset, length), default);
            }));
            // A part written again replaces itself.
            await write.WritePartAsync(1, 4000, 4000, new MemoryStream(data, 4000, 4000), default);
            Assert.Null(await store.StatAsync("d/big.bin", default));
            await write.CompleteAsync(default);
        }
        Assert.Equal(data, await File.ReadAllBytesAsync(dir.Combine("d/big.bin")));
        Assert.Single(Directory.GetFiles(dir.Combine("d")));
    }

    [Fact]
    public async Task An_abandoned_or_incomplete_write_leaves_nothing_behind()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Path);
        await using (var write = await store.BeginAsync("d/f.bin", 100, default))
        {
            await write.WritePartAsync(0, 0, 50, new MemoryStream(new byte[50]), default);
            await Assert.ThrowsAsync<IOException>(() => write.CompleteAsync(default));
            await Assert.ThrowsAsync<IOException>(() => write.WritePartAsync(1, 50, 50, new MemoryStream(new byte[10]), default));
        }
        Assert.Empty(Directory.GetFiles(dir.Combine("d")));
        Assert.Null(await store.StatAsync("d/f.bin", default));
    }
}
