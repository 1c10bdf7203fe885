using System.Collections.Concurrent;
using ReplicaSync.Daemon.Configuration;

namespace ReplicaSync.Daemon.Status;

/// <summary>
/// The live state of every table as this node knows it, updated by runs as they go (per commit, not only at the end)
/// and read by <c>/status</c> and the metrics gauges. Each table's state is an immutable record swapped under a
/// per-table lock; every change bumps the table's revision, which is how a cluster node knows what to share.
/// </summary>
public sealed class StatusStore
{
    private readonly ConcurrentDictionary<string, Entry> _tables = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public StatusStore(DaemonSettings settings, TimeProvider clock)
    {
        _clock = clock;
        foreach (var table in settings.Tables)
            _tables[table.Name] = new Entry(new TableStatus { Name = table.Name, Source = table.Source.QualifiedName, Target = table.Target });
    }

    public IEnumerable<string> Names => _tables.Keys.Order(StringComparer.Ordinal);

    public bool Contains(string table) => _tables.ContainsKey(table);

    /// <summary>Every table's state, with the seconds-behind figure computed for now.</summary>
    public IReadOnlyList<TableStatus> Snapshot() => [.. Names.Select(Get)];

    public TableStatus Get(string table)
    {
        var entry = _tables[table];
        lock (entry)
            return WithDerived(entry.Status, _clock.GetUtcNow());
    }

    /// <summary>The figures computed from a state at read time: versions behind, and seconds since it was caught up.</summary>
    public static TableStatus WithDerived(TableStatus status, DateTimeOffset now)
    {
        var behind = status.ProviderVersion is { } p && status.ReplicaVersion is { } r ? Math.Max(0, p - r) : (long?)null;
        double? seconds = status.CaughtUpAt is { } at ? Math.Max(0, (now - at).TotalSeconds) : null;
        return status with { VersionsBehind = behind, SecondsBehind = seconds };
    }

    public void Update(string table, Func<TableStatus, TableStatus> change)
    {
        var entry = _tables[table];
        lock (entry)
        {
            entry.Status = change(entry.Status);
            entry.Revision++;
            entry.ChangedAt = _clock.GetUtcNow();
        }
    }

    /// <summary>Records that the replica was seen at the provider's latest version just now.</summary>
    public void CaughtUp(string table) => Update(table, s => s with { CaughtUpAt = _clock.GetUtcNow() });

    /// <summary>The tables changed after the revisions in <paramref name="seen"/> (absent: never seen), with when they changed.</summary>
    public IReadOnlyList<StatusChange> ChangedSince(IReadOnlyDictionary<string, long> seen)
    {
        var changes = new List<StatusChange>();
        foreach (var (name, entry) in _tables)
        {
            lock (entry)
            {
                if (entry.Revision > seen.GetValueOrDefault(name))
                    changes.Add(new StatusChange(entry.Status, entry.Revision, entry.ChangedAt));
            }
        }
        return changes;
    }

    private sealed class Entry(TableStatus status)
    {
        public TableStatus Status { get; set; } = status;
        public long Revision { get; set; }
        public DateTimeOffset ChangedAt { get; set; }
    }
}
