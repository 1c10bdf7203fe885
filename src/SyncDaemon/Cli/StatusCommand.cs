using System.CommandLine;
using System.Text.Json;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.Daemon.Progress;
using Spectre.Console;

namespace ReplicaSync.Daemon.Cli;

/// <summary><c>replicasync status</c>: what a replica holds, read from its own log.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "replica location (a directory)", Required = true };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of text" };
        var command = new Command("status", "Show the replica's version, source table, files, bytes and last commit time.") { target, json };
        command.SetAction((result, cancel) => CliErrors.Guard(cancel, async ct =>
        {
            var store = ObjectStores.Open(result.GetValue(target)!);
            var log = new DeltaLog(store);
            var snapshot = await log.LoadSnapshotAsync(null, ct);
            if (snapshot is null)
            {
                Console.Error.WriteLine($"error: {store.Location}: no replica here (no _delta_log)");
                return 1;
            }
            var status = ReplicaStatus.From(snapshot) with { VersionsHeld = await HeldVersions.ReadAsync(store, ct) };
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(status, CliJsonContext.Default.ReplicaStatus));
                return 0;
            }
            Console.WriteLine($"replica:          {store.Location}");
            Console.WriteLine($"provider table:   {status.ProviderTable ?? "(not a replica)"}");
            Console.WriteLine($"version:          {status.Version}");
            Console.WriteLine($"versions held:    {status.VersionsHeld}");
            Console.WriteLine($"files:            {status.Files}");
            Console.WriteLine($"bytes:            {Bytes.Format(status.Bytes)} ({status.Bytes})");
            Console.WriteLine($"last commit time: {status.LastCommitTime:u}");
            Console.WriteLine();
            Terminal.For(Console.Out).Write(await RecentCommitsAsync(log, ct));
            return 0;
        }));
        return command;
    }

    private const int RecentCommits = 10;

    /// <summary>The newest commits as a table: what each version changed, so an operator sees the replica move.</summary>
    private static async Task<Table> RecentCommitsAsync(DeltaLog log, CancellationToken ct)
    {
        var table = new Table().Title("recent commits").AddColumns("version", "committed (UTC)", "operation", "files +", "files -", "bytes +");
        var commits = await log.ListCommitsAsync(ct);
        foreach (var (version, fileTime) in commits.TakeLast(RecentCommits).Reverse())
        {
            // The listing's file time spares ReadCommitAsync a stat per commit (a HEAD request on cloud targets).
            var commit = await log.ReadCommitAsync(version, fileTime, ct);
            var info = commit.Actions.OfType<CommitInfo>().FirstOrDefault();
            var adds = commit.Actions.OfType<AddFile>().ToList();
            var time = info?.Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss") : "";
            table.AddRow(version.ToString(), time, Markup.Escape(info?.Operation ?? ""), adds.Count.ToString(),
                commit.Actions.OfType<RemoveFile>().Count().ToString(), Bytes.Format(adds.Sum(a => a.Size)));
        }
        if (commits.Count == 0)
            table.Caption("no commits: the replica starts from a checkpoint");
        return table;
    }
}

/// <summary>A replica's state as <c>status</c> prints it.</summary>
public sealed record ReplicaStatus(string? ProviderTable, long Version, long Files, long Bytes, DateTimeOffset LastCommitTime)
{
    /// <summary>Which versions the replica holds (see <see cref="HeldVersions"/>).</summary>
    public string? VersionsHeld { get; init; }

    public static ReplicaStatus From(Snapshot snapshot)
    {
        var source = snapshot.Transactions.Keys.FirstOrDefault(k => k.StartsWith(ReplicaCommit.AppIdPrefix, StringComparison.Ordinal));
        return new ReplicaStatus(source?[ReplicaCommit.AppIdPrefix.Length..], snapshot.Version, snapshot.Files.Count,
            snapshot.SizeInBytes, DateTimeOffset.FromUnixTimeMilliseconds(snapshot.Timestamp));
    }
}
