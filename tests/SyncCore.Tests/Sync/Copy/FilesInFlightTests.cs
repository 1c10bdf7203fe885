using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Tests.Sync.Copy;

public class FilesInFlightTests
{
    private const long MiB = 1 << 20;

    /// <summary>
    /// A simulated copy: <paramref name="limit"/> files in flight, each waiting <paramref name="firstByte"/> and then
    /// reading 1 MiB at the per-file rate the link leaves (<paramref name="linkBytesPerSecond"/> shared by all of them).
    /// Feeds one round of files to the controller and returns what it added.
    /// </summary>
    private static int Round(FilesInFlight files, ref TimeSpan now, TimeSpan firstByte, double linkBytesPerSecond)
    {
        var limit = files.Limit;
        var body = TimeSpan.FromSeconds(MiB * limit / linkBytesPerSecond);
        now += firstByte + body;
        var added = 0;
        for (var i = 0; i < limit; i++)
            added += files.Record(MiB, firstByte, body, now);
        return added;
    }

    [Fact]
    public void A_distant_provider_grows_the_files_in_flight_while_throughput_rises()
    {
        var now = TimeSpan.Zero;
        var files = new FilesInFlight(start: 8, max: 64, now);
        // 75 ms to the first byte, a 10 GB/s link: each round of more files brings more throughput.
        var limits = new List<int>();
        for (var round = 0; round < 10; round++)
        {
            Round(files, ref now, TimeSpan.FromMilliseconds(75), 10e9);
            limits.Add(files.Limit);
        }
        Assert.Equal([12, 18, 27, 40, 60, 64, 64, 64, 64, 64], limits);
    }

    [Fact]
    public void The_growth_stops_once_the_link_is_full()
    {
        var now = TimeSpan.Zero;
        var files = new FilesInFlight(start: 8, max: 64, now);
        // A 200 MB/s link: from about 16 files on, more files only share the same bytes per second.
        for (var round = 0; round < 20; round++)
            Round(files, ref now, TimeSpan.FromMilliseconds(75), 200e6);
        Assert.InRange(files.Limit, 16, 40);
        var settled = files.Limit;
        for (var round = 0; round < 20; round++)
            Assert.Equal(0, Round(files, ref now, TimeSpan.FromMilliseconds(75), 200e6));
        Assert.Equal(settled, files.Limit);
    }

    [Fact]
    public void A_nearby_provider_keeps_the_start_count()
    {
        var now = TimeSpan.Zero;
        var files = new FilesInFlight(start: 8, max: 64, now);
        // Loopback: the first byte comes at once, reading and writing the bytes is the work.
        for (var round = 0; round < 10; round++)
            Assert.Equal(0, Round(files, ref now, TimeSpan.FromMilliseconds(0.2), 1.5e9));
        Assert.Equal(8, files.Limit);
    }

    [Fact]
    public void A_fixed_count_never_grows()
    {
        var now = TimeSpan.Zero;
        var files = new FilesInFlight(start: 8, max: 8, now);
        for (var round = 0; round < 5; round++)
            Assert.Equal(0, Round(files, ref now, TimeSpan.FromMilliseconds(75), 10e9));
        Assert.Equal(8, files.Limit);
    }

    [Fact]
    public void What_it_adds_is_exactly_the_growth_of_the_limit()
    {
        var now = TimeSpan.Zero;
        var files = new FilesInFlight(start: 3, max: 5, now);
        var total = files.Limit;
        for (var round = 0; round < 5; round++)
            total += Round(files, ref now, TimeSpan.FromMilliseconds(75), 10e9);
        Assert.Equal((5, 5), (files.Limit, total));
    }
}
