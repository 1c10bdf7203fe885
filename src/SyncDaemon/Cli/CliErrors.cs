using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.SharingServer;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Cli;

/// <summary>Turns the errors a user can cause or meet into one clear line on stderr and a non-zero exit code.</summary>
public static class CliErrors
{
    public static async Task<int> Guard(CancellationToken ct, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        catch (Exception e) when (e is SharingException or SyncException or DeltaFormatException or CommitConflictException
                                       or SharingConfigException or ArgumentException or IOException or FormatException or NotSupportedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
