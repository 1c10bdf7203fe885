namespace ReplicaSync.Sync.Copy;

/// <summary>
/// A token bucket shared by every copy stream of a run: bytes accrue at the rate (up to one second's worth) and
/// each read takes what it received. A read that overdraws the bucket waits until the debt is paid back, so the
/// streams together average the rate however many there are.
/// </summary>
public sealed class BandwidthLimiter
{
    private readonly long _rate;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _last;
    private long _granted;
    private long _waitTicks;

    public BandwidthLimiter(long bytesPerSecond) : this(bytesPerSecond, TimeProvider.System, null)
    {
    }

    /// <summary>Uses <paramref name="time"/> for the clock and <paramref name="delay"/> to wait (tests pass fakes of both).</summary>
    public BandwidthLimiter(long bytesPerSecond, TimeProvider time, Func<TimeSpan, CancellationToken, Task>? delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        _rate = bytesPerSecond;
        _time = time;
        _delay = delay ?? ((wait, ct) => Task.Delay(wait, time, ct));
        _tokens = bytesPerSecond;
        _last = time.GetTimestamp();
    }

    /// <summary>Bytes taken so far.</summary>
    public long Granted => Interlocked.Read(ref _granted);

    /// <summary>Total time readers were told to wait.</summary>
    public TimeSpan Waited => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

    /// <summary>Takes <paramref name="bytes"/>; completes at once while the bucket has them, else after the debt is paid.</summary>
    public ValueTask AcquireAsync(long bytes, CancellationToken ct)
    {
        TimeSpan wait;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_rate, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _rate);
            _last = now;
            _tokens -= bytes;
            _granted += bytes;
            if (_tokens >= 0)
                return ValueTask.CompletedTask;
            wait = TimeSpan.FromSeconds(-_tokens / _rate);
            _waitTicks += wait.Ticks;
        }
        return new ValueTask(_delay(wait, ct));
    }
}
