namespace ReplicaSync.SharingServer;

/// <summary>
/// Run-time fault injection and request counters (a test hook for the replicator's tests). Rules are consumed in
/// the order they were added; a request takes at most one rule.
/// </summary>
public sealed class FaultState
{
    private readonly Lock _lock = new();
    private readonly List<ActiveRule> _rules = [];
    private readonly long[] _counts = new long[Enum.GetValues<RequestKind>().Length];

    internal FaultState(FaultConfig? initial)
    {
        foreach (var rule in initial?.Rules ?? [])
            Add(rule);
    }

    /// <summary>Adds a rule; throws <see cref="ArgumentException"/> when it is inconsistent.</summary>
    public void Add(FaultRule rule)
    {
        if (Problem(rule) is { } problem)
            throw new ArgumentException(problem, nameof(rule));
        lock (_lock)
            _rules.Add(new ActiveRule(rule.Match, rule.Status, rule.TruncateAfterBytes, rule.Times));
    }

    /// <summary>Removes every rule that is still active.</summary>
    public void Clear()
    {
        lock (_lock)
            _rules.Clear();
    }

    /// <summary>How many requests of <paramref name="kind"/> have arrived, faulted or not (unauthenticated ones excluded).</summary>
    public long RequestCount(RequestKind kind) => Interlocked.Read(ref _counts[(int)kind]);

    /// <summary>Counts the request and returns the status to fail it with, if a status rule matches.</summary>
    internal int? OnRequest(RequestKind kind)
    {
        Interlocked.Increment(ref _counts[(int)kind]);
        return Take(kind, truncation: false)?.Status;
    }

    /// <summary>The byte count after which to abort a file response, if a truncation rule matches.</summary>
    internal long? TakeTruncation() => Take(RequestKind.File, truncation: true)?.TruncateAfterBytes;

    internal static string? Problem(FaultRule? rule) => rule switch
    {
        null => "a rule must be an object",
        { Status: null, TruncateAfterBytes: null } => "a rule needs status or truncateAfterBytes",
        { Status: not null, TruncateAfterBytes: not null } => "a rule has either status or truncateAfterBytes, not both",
        { Status: < 400 or > 599 } => "status must be between 400 and 599",
        { TruncateAfterBytes: < 0 } => "truncateAfterBytes must not be negative",
        { TruncateAfterBytes: not null, Match: not (FaultMatch.File or FaultMatch.Any) } => "truncateAfterBytes applies to file requests only",
        { Times: < 1 } => "times must be at least 1 (omit it for every request)",
        _ => null,
    };

    private ActiveRule? Take(RequestKind kind, bool truncation)
    {
        lock (_lock)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (rule.TruncateAfterBytes is not null != truncation || !Matches(rule.Match, kind))
                    continue;
                if (rule.Remaining is { } remaining)
                {
                    if (remaining <= 1)
                        _rules.RemoveAt(i);
                    else
                        _rules[i] = rule with { Remaining = remaining - 1 };
                }
                return rule;
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
        _ => false,
    };

    private sealed record ActiveRule(FaultMatch Match, int? Status, long? TruncateAfterBytes, int? Remaining);
}
