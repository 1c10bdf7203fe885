using System.CommandLine;
using ReplicaSync.Daemon.Cli;

namespace ReplicaSync.Daemon;

/// <summary>The replicasync command line: sync, status, verify, vacuum, serve, run, demo, tables and init.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("ReplicaSync: keeps a version-aligned replica of Delta tables shared over Delta Sharing.")
        {
            SyncCommand.Create(),
            StatusCommand.Create(),
            ServeCommand.Create(),
            VacuumCommand.Create(),
            RunCommand.Create(),
            DemoCommand.Create(),
            VerifyCommand.Create(),
            TablesCommand.Create(),
            InitCommand.Create(),
        };
        // Signals are ours to handle (the daemon's host drains for shutdownGraceSeconds, the other verbs use
        // ShutdownSignal): System.CommandLine's own handling would end the process 2 s after SIGTERM with exit 143.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
