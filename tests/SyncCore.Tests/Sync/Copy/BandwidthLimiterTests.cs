using ReplicaSync.Sync.Copy;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Sync.Copy;

public class BandwidthLimiterTests
{
    [Fact]
    public async Task Reads_within_the_bucket_pass_and_an_overdraft_waits_until_it_is_paid_back()
    {
        var clock = new ManualClock();
        var waits = new List<TimeSpan>();
        var limiter = new BandwidthLimiter(1000, clock, (wait, _) => { waits.Add(wait); clock.Advance(wait); return Task.CompletedTask; });

        await limiter.AcquireAsync(600, default);           // a full bucket (one second's worth) covers it
        Assert.Empty(waits);
        await limiter.AcquireAsync(600, default);           // 200 bytes of debt at 1000 B/s
        Assert.Equal([TimeSpan.FromMilliseconds(200)], waits);
        await limiter.AcquireAsync(1000, default);          // the debt was paid by the wait: a full second now
        Assert.Equal(TimeSpan.FromSeconds(1), waits[^1]);
        clock.Advance(TimeSpan.FromSeconds(10));            // idle time refills at most one second's worth
        await limiter.AcquireAsync(1000, default);
        Assert.Equal(2, waits.Count);
        Assert.Equal(3200, limiter.Granted);
        Assert.Equal(TimeSpan.FromMilliseconds(1200), limiter.Waited);
    }

    [Fact]
    public async Task Many_streams_sharing_one_limiter_together_keep_to_the_rate()
    {
        // Eight simulated streams, each reading 64 KiB whenever its previous wait is over; the clock always moves
        // to the stream that is ready first. 8 MiB at 1 MiB/s with a one-second bucket must take 7 s of clock.
        var clock = new ManualClock();
        var lastWait = TimeSpan.Zero;
        var limiter = new BandwidthLimiter(1 << 20, clock, (wait, _) => { lastWait = wait; return Task.CompletedTask; });
        var readyAt = new TimeSpan[8];
        var reads = new int[8];
        var released = new List<TimeSpan>();
        while (reads.Any(r => r < 16))
        {
            var next = Enumerable.Range(0, 8).Where(i => reads[i] < 16).MinBy(i => readyAt[i]);
            clock.AdvanceTo(readyAt[next]);
            lastWait = TimeSpan.Zero;
            await limiter.AcquireAsync(64 << 10, default);
            readyAt[next] = clock.Now + lastWait;
            released.Add(readyAt[next]);
            reads[next]++;
        }
        // At no instant have the streams been let through more than the bucket plus the rate times the time.
        var order = released.Order().ToList();
        for (var i = 0; i < order.Count; i++)
            Assert.True((i + 1) * (64 << 10) <= (1 << 20) * (1 + order[i].TotalSeconds) + 1, $"{i + 1} chunks through by {order[i]}");
        Assert.Equal(8L << 20, limiter.Granted);
        Assert.Equal(7.0, readyAt.Max().TotalSeconds, precision: 3);
    }
}
