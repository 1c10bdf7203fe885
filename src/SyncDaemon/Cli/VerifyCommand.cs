using System.CommandLine;
using ReplicaSync.Storage;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Cli;

/// <summary><c>replicasync verify</c>: re-reads a replica's live files and checks their sizes and recorded CRC-32C.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "replica location (a directory, file:// or s3:// address)", Required = true };
        var command = new Command("verify", "Check that every live file (and change data file) of the replica exists with its size and the CRC-32C recorded when it was copied.") { target };
        command.SetAction((result, cancel) => CliErrors.Guard(cancel, async ct =>
        {
            var store = ObjectStores.Open(result.GetValue(target)!);
            var report = await new ReplicaVerifier(store).VerifyAsync(ct);
            foreach (var problem in report.Problems)
                Console.WriteLine($"mismatch: {problem}");
            var changeData = report.ChangeFiles > 0 ? $" and {report.ChangeFiles} change data files" : "";
            Console.WriteLine($"{store.Location}: version {report.Version}, {report.Files} files{changeData} ({Bytes.Format(report.Bytes)}), " +
                              $"{report.Checksummed} with a CRC-32C: " + (report.Ok ? "all verified" : $"{report.Problems.Count} problems"));
            return report.Ok ? 0 : 1;
        }));
        return command;
    }
}
