using System.Text.Json.Nodes;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>Daemon configurations for tests: tables of one SharingFixture, each on an interval or a cron schedule.</summary>
internal static class DaemonConfig
{
    public static JsonObject For(SharingFixture sharing, string replicaRoot, params (string Table, string Schedule)[] tables)
    {
        var entries = new JsonObject();
        foreach (var (table, schedule) in tables)
        {
            var entry = new JsonObject
            {
                ["source"] = sharing.Address(table).ToString(),
                ["target"] = Path.Combine(replicaRoot, table),
                // These daemons are checked version by version against the provider; the default start is latest.
                ["from"] = "0",
            };
            if (schedule.Contains(' ', StringComparison.Ordinal))
                entry["cron"] = schedule;
            else
                entry["intervalSeconds"] = double.Parse(schedule, System.Globalization.CultureInfo.InvariantCulture);
            entries[table] = entry;
        }
        return new JsonObject
        {
            ["startupJitterSeconds"] = 0.5,
            ["shutdownGraceSeconds"] = 20,
            ["maxConcurrentRuns"] = 2,
            ["tables"] = entries,
        };
    }

    /// <summary>Data files (and deletion vectors) under a replica, outside its log: what its runs copied.</summary>
    public static (int Files, long Bytes) DataFiles(string replica)
    {
        var files = Directory.EnumerateFiles(replica, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(replica, f).StartsWith("_delta_log", StringComparison.Ordinal) && !f.Contains(".replicasync-tmp-", StringComparison.Ordinal))
            .Select(f => new FileInfo(f).Length)
            .ToList();
        return (files.Count, files.Sum());
    }
}
