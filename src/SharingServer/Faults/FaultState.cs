using System.Collections.Concurrent;

namespace ReplicaSync.SharingServer;

/// <summary>
/// Run-time fault injection and request counters (a test hook for the replicator's tests). Rules are consumed in
/// the order they were added; a request takes at most one rule of each effect (status or reset, body, delay). Rules with a
/// probability draw from one generator seeded by the configuration, so a run's sequence of faults can be repeated
/// (given the same order of requests).
/// </summary>
public sealed class FaultState
{
    private readonly Lock _lock = new();
    private readonly List<ActiveRule> _rules = [];
    private readonly long[] _counts = new long[Enum.GetValues<RequestKind>().Length];
    private readonly ConcurrentDictionary<string, FileRequests> _files = new(StringComparer.Ordinal);
    private readonly Random _random;
    private long _injected;
    private long _expiredUrls;

    internal FaultState(FaultConfig? initial)
    {
        _random = new Random(initial?.Seed ?? 0);
        UrlExpiry = initial?.UrlExpirySeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        foreach (var rule in initial?.Rules ?? [])
            Add(rule);
    }

    /// <summary>Adds a rule; throws <see cref="ArgumentException"/> when it is inconsistent.</summary>
    public void Add(FaultRule rule)
    {
        if (Problem(rule) is { } problem)
            throw new ArgumentException(problem, nameof(rule));
        lock (_lock)
            _rules.Add(new ActiveRule(rule.Match, EffectOf(rule), rule, rule.Times, rule.Every ?? 1, 0));
    }

    /// <summary>Removes every rule that is still active.</summary>
    public void Clear()
    {
        lock (_lock)
            _rules.Clear();
    }

    /// <summary>File URLs are refused this long after they were issued, whatever expiry the query announced; null: off.</summary>
    public TimeSpan? UrlExpiry { get; set; }

    /// <summary>How many rules have fired (statuses, resets, delays, body faults, ignored ranges).</summary>
    public long InjectedCount => Interlocked.Read(ref _injected);

    /// <summary>How many file requests were refused because their URL was older than <see cref="UrlExpiry"/>.</summary>
    public long ExpiredUrlCount => Interlocked.Read(ref _expiredUrls);

    /// <summary>How many requests of <paramref name="kind"/> have arrived, faulted or not (unauthenticated ones excluded).</summary>
    public long RequestCount(RequestKind kind) => Interlocked.Read(ref _counts[(int)kind]);

    /// <summary>What was served per file key (relative to its table root): GETs, ranged GETs and body bytes sent.</summary>
    public IReadOnlyDictionary<string, FileRequests> FilesServed => _files;

    /// <summary>Counts the request and returns the rule that fails it (a status or a reset), if one matches.</summary>
    internal FaultRule? OnRequest(RequestKind kind)
    {
        Interlocked.Increment(ref _counts[(int)kind]);
        return Take(kind, Effect.Status);
    }

    /// <summary>
    /// True when a file URL announced to expire at <paramref name="expiresAtMs"/> with a lifetime of
    /// <paramref name="lifetimeSeconds"/> was issued longer than <see cref="UrlExpiry"/> ago (and is counted as refused).
    /// </summary>
    internal bool ExpiredEarly(long expiresAtMs, int lifetimeSeconds)
    {
        if (UrlExpiry is not { } expiry)
            return false;
        var issuedAt = expiresAtMs - lifetimeSeconds * 1000L;
        if (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < issuedAt + (long)expiry.TotalMilliseconds)
            return false;
        Interlocked.Increment(ref _expiredUrls);
        return true;
    }

    /// <summary>How long to hold a request of <paramref name="kind"/> before answering, if a delay rule matches.</summary>
    internal TimeSpan? TakeDelay(RequestKind kind) =>
        Take(kind, Effect.Delay)?.DelayMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>How to cut a file response short, if a body rule matches.</summary>
    internal (long Bytes, bool Reset)? TakeBodyFault() => Take(RequestKind.File, Effect.Body) switch
    {
        { TruncateAfterBytes: { } reset } => (reset, true),
        { EndBodyAfterBytes: { } end } => (end, false),
        _ => null,
    };

    /// <summary>True when a rule says to answer this file request as a server without Range support would.</summary>
    internal bool TakeIgnoreRange() => Take(RequestKind.File, Effect.IgnoreRange) is not null;

    /// <summary>Records a file GET of <paramref name="key"/> once its body is sent (or cut).</summary>
    internal void FileServed(string key, bool ranged, long bytes) =>
        _files.AddOrUpdate(key, _ => new FileRequests(1, ranged ? 1 : 0, bytes),
            (_, f) => new FileRequests(f.Gets + 1, f.RangedGets + (ranged ? 1 : 0), f.BytesSent + bytes));

    internal static string? Problem(FaultRule? rule) => rule switch
    {
        null => "a rule must be an object",
        _ when EffectCount(rule) == 0 => "a rule needs status or truncateAfterBytes (or endBodyAfterBytes, delayMilliseconds, ignoreRange, resetConnection)",
        _ when EffectCount(rule) > 1 => "a rule has one effect: status, truncateAfterBytes, endBodyAfterBytes, delayMilliseconds, ignoreRange or resetConnection, not both or more",
        { IgnoreRange: false } => "ignoreRange can only be true (omit it otherwise)",
        { ResetConnection: false } => "resetConnection can only be true (omit it otherwise)",
        { Probability: <= 0 or > 1 or double.NaN } => "probability must be above 0 and at most 1",
        { IgnoreRange: true, Match: not (FaultMatch.File or FaultMatch.Any) } => "ignoreRange applies to file requests only",
        { Status: < 400 or > 599 } => "status must be between 400 and 599",
        { TruncateAfterBytes: < 0 } => "truncateAfterBytes must not be negative",
        { EndBodyAfterBytes: < 0 } => "endBodyAfterBytes must not be negative",
        { DelayMilliseconds: < 0 } => "delayMilliseconds must not be negative",
        { TruncateAfterBytes: not null, Match: not (FaultMatch.File or FaultMatch.Any) } => "truncateAfterBytes applies to file requests only",
        { EndBodyAfterBytes: not null, Match: not (FaultMatch.File or FaultMatch.Any) } => "endBodyAfterBytes applies to file requests only",
        { Times: < 1 } => "times must be at least 1 (omit it for every request)",
        { Every: < 1 } => "every must be at least 1",
        _ => null,
    };

    private static int EffectCount(FaultRule rule) =>
        (rule.Status is null ? 0 : 1) + (rule.TruncateAfterBytes is null ? 0 : 1) + (rule.EndBodyAfterBytes is null ? 0 : 1) +
        (rule.DelayMilliseconds is null ? 0 : 1) + (rule.IgnoreRange is null ? 0 : 1) + (rule.ResetConnection is null ? 0 : 1);

    private static Effect EffectOf(FaultRule rule) =>
        rule.Status is not null || rule.ResetConnection is not null ? Effect.Status
        : rule.DelayMilliseconds is not null ? Effect.Delay
        : rule.IgnoreRange is not null ? Effect.IgnoreRange
        : Effect.Body;

    private FaultRule? Take(RequestKind kind, Effect effect)
    {
        lock (_lock)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (rule.Effect != effect || !Matches(rule.Match, kind))
                    continue;
                // An intermittent rule sees every matching request but fires on one in Every.
                var seen = rule.Seen + 1;
                // A random rule fires with its probability; the draw happens only for requests it could fire on.
                if ((seen - 1) % rule.Every != 0 || (rule.Rule.Probability is { } p && _random.NextDouble() >= p))
                {
                    _rules[i] = rule with { Seen = seen };
                    continue;
                }
                if (rule.Remaining is { } remaining && remaining <= 1)
                    _rules.RemoveAt(i);
                else
                    _rules[i] = rule with { Remaining = rule.Remaining - 1, Seen = seen };
                Interlocked.Increment(ref _injected);
                return rule.Rule;
            }
            return null;
        }
    }

    private static bool Matches(FaultMatch match, RequestKind kind) => match switch
    {
        FaultMatch.Any => true,
        FaultMatch.List => kind == RequestKind.List,
        FaultMatch.Version => kind == RequestKind.Version,
        FaultMatch.Metadata => kind == RequestKind.Metadata,
        FaultMatch.Query => kind == RequestKind.Query,
        FaultMatch.File => kind == RequestKind.File,
        FaultMatch.Changes => kind == RequestKind.Changes,
        FaultMatch.Token => kind == RequestKind.Token,
        _ => false,
    };

    private enum Effect { Status, Body, Delay, IgnoreRange }

    private sealed record ActiveRule(FaultMatch Match, Effect Effect, FaultRule Rule, int? Remaining, int Every, long Seen);
}

/// <summary>What one file key was served: GET requests, how many of them were ranged, and body bytes sent.</summary>
public sealed record FileRequests(long Gets, long RangedGets, long BytesSent);
