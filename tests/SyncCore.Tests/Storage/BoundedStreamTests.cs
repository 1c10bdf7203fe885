using ReplicaSync.Storage;

namespace ReplicaSync.Tests.Storage;

public class BoundedStreamTests
{
    [Fact]
    public async Task A_view_reads_only_its_length_and_a_short_source_just_ends_unless_exact()
    {
        var inner = new MemoryStream(Enumerable.Range(0, 10).Select(i => (byte)i).ToArray());
        await using (var view = new BoundedStream(inner, 4, leaveOpen: true))
            Assert.Equal(new byte[] { 0, 1, 2, 3 }, await ReadAllAsync(view));
        Assert.Equal(4, inner.Position);

        await using (var lenient = new BoundedStream(inner, 100, leaveOpen: true))
            Assert.Equal(6, (await ReadAllAsync(lenient)).Length);

        inner.Position = 4;
        await using var exact = new BoundedStream(inner, 100, exact: true);
        var e = await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(exact));
        Assert.Contains("94 bytes short of its 100 bytes", e.Message);
    }

    [Fact]
    public void Disposing_closes_the_source_unless_asked_to_leave_it_open()
    {
        var kept = new MemoryStream(new byte[4]);
        new BoundedStream(kept, 2, leaveOpen: true).Dispose();
        Assert.True(kept.CanRead);
        var closed = new MemoryStream(new byte[4]);
        new BoundedStream(closed, 2).Dispose();
        Assert.False(closed.CanRead);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
