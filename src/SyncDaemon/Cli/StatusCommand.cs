using System.CommandLine;
using System.Text.Json;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;

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
            var snapshot = await new DeltaLog(store).LoadSnapshotAsync(null, ct);
            if (snapshot is null)
            {
                Console.Error.WriteLine($"error: {store.Location}: no replica here (no _delta_log)");
                return 1;
            }
            var status = ReplicaStatus.From(snapshot);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(status, CliJsonContext.Default.ReplicaStatus));
                return 0;
            }
            Console.WriteLine($"replica:          {store.Location}");
            Console.WriteLine($"provider table:   {status.ProviderTable ?? "(not a replica)"}");
            Console.WriteLine($"version:          {status.Version}");
            Console.WriteLine($"files:            {status.Files}");
            Console.WriteLine($"bytes:            {Bytes.Format(status.Bytes)} ({status.Bytes})");
            Console.WriteLine($"last commit time: {status.LastCommitTime:u}");
            return 0;
        }));
        return command;
    }
}

/// <summary>A replica's state as <c>status</c> prints it.</summary>
public sealed record ReplicaStatus(string? ProviderTable, long Version, long Files, long Bytes, DateTimeOffset LastCommitTime)
{
    public static ReplicaStatus From(Snapshot snapshot)
    {
        var source = snapshot.Transactions.Keys.FirstOrDefault(k => k.StartsWith(ReplicaCommit.AppIdPrefix, StringComparison.Ordinal));
        return new ReplicaStatus(source?[ReplicaCommit.AppIdPrefix.Length..], snapshot.Version, snapshot.Files.Count,
            snapshot.SizeInBytes, DateTimeOffset.FromUnixTimeMilliseconds(snapshot.Timestamp));
    }
}
