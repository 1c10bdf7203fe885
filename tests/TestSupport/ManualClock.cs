namespace ReplicaSync.TestSupport;

/// <summary>A clock that moves only when told, so time-based logic is tested without waiting or timing.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);
    public TimeSpan Now => TimeSpan.FromTicks(GetTimestamp());
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    public void AdvanceTo(TimeSpan at) => Interlocked.Exchange(ref _ticks, Math.Max(Interlocked.Read(ref _ticks), at.Ticks));
}
