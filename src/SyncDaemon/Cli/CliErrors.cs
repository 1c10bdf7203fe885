using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.SharingServer;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Cli;

/// <summary>Turns the errors a user can cause or meet into one clear line on stderr and a non-zero exit code.</summary>
public static class CliErrors
{
    /// <summary>Runs a command with a token that a shutdown signal cancels; maps known failures to exit code 1.</summary>
    public static async Task<int> Guard(CancellationToken ct, Func<CancellationToken, Task<int>> action)
    {
        using var shutdown = new ShutdownSignal(ct);
        try
        {
            return await action(shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.Token.IsCancellationRequested)
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
