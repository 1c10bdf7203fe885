using System.Collections.Concurrent;
using ReplicaSync.Daemon.Configuration;

namespace ReplicaSync.Daemon.Status;

/// <summary>
/// The live state of every table, updated by runs as they go (per commit, not only at the end) and read by
/// <c>/status</c> and the metrics gauges. Each table's state is an immutable record swapped under a per-table lock.
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
        {
            var status = entry.Status;
            var behind = status.ProviderVersion is { } p && status.ReplicaVersion is { } r ? Math.Max(0, p - r) : (long?)null;
            double? seconds = entry.LastCaughtUp is { } at ? Math.Max(0, (_clock.GetUtcNow() - at).TotalSeconds) : null;
            return status with { VersionsBehind = behind, SecondsBehind = seconds };
        }
    }

    public void Update(string table, Func<TableStatus, TableStatus> change)
    {
        var entry = _tables[table];
        lock (entry)
            entry.Status = change(entry.Status);
    }

    /// <summary>Records that the replica was seen at the provider's latest version just now.</summary>
    public void CaughtUp(string table)
    {
        var entry = _tables[table];
        lock (entry)
            entry.LastCaughtUp = _clock.GetUtcNow();
    }

    private sealed class Entry(TableStatus status)
    {
        public TableStatus Status { get; set; } = status;
        public DateTimeOffset? LastCaughtUp { get; set; }
    }
}
