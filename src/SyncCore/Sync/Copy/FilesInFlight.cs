namespace ReplicaSync.Sync.Copy;

/// <summary>
/// How many files the copy keeps in flight. It starts at <c>start</c> and, while the time files wait for their first
/// byte outweighs the time their bytes take (a provider far away: every request costs a round trip and the store's
/// first-byte latency), grows by half after each round of files that raised the copy's throughput, up to
/// <c>max</c>. A round that brought no gain (the link or the target is the limit) stops the growth. Pure: the caller
/// measures and passes the clock.
/// </summary>
public sealed class FilesInFlight
{
    /// <summary>A round must beat the previous one by this factor for the growth to go on.</summary>
    private const double Gain = 1.1;

    private readonly int _max;
    private TimeSpan _roundStart;
    private int _files;
    private long _bytes;
    private TimeSpan _waiting;
    private TimeSpan _reading;
    private double? _previousRate;
    private bool _settled;

    public FilesInFlight(int start, int max, TimeSpan now)
    {
        _max = Math.Max(1, max);
        Limit = Math.Clamp(start, 1, _max);
        _settled = Limit == _max;
        _roundStart = now;
    }

    /// <summary>Files that may be in flight now; it only grows.</summary>
    public int Limit { get; private set; }

    /// <summary>
    /// Records a copied file: <paramref name="firstByte"/> from its request to its first byte, <paramref name="body"/>
    /// from there to its last byte. Returns how many more files may be in flight from now on (0 mostly).
    /// </summary>
    public int Record(long bytes, TimeSpan firstByte, TimeSpan body, TimeSpan now)
    {
        if (_settled)
            return 0;
        _files++;
        _bytes += bytes;
        _waiting += firstByte;
        _reading += body;
        if (_files < Limit || now <= _roundStart)
            return 0;
        var rate = _bytes / (now - _roundStart).TotalSeconds;
        var latencyBound = _waiting > _reading;
        var gained = _previousRate is not { } previous || rate >= previous * Gain;
        (_files, _bytes, _waiting, _reading, _roundStart) = (0, 0, TimeSpan.Zero, TimeSpan.Zero, now);
        if (!latencyBound)
            return 0;
        if (!gained)
        {
            _settled = true;
            return 0;
        }
        _previousRate = rate;
        var grown = Math.Min(_max, Limit + Math.Max(1, Limit / 2));
        var added = grown - Limit;
        Limit = grown;
        _settled = Limit == _max;
        return added;
    }
}
