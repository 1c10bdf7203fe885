using System.CommandLine;
using ReplicaSync.Daemon.Demo;

namespace ReplicaSync.Daemon.Cli;

/// <summary><c>replicasync demo</c>: replicates a generated table from the embedded server; no account, no network.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "folder for the demo's provider table, profile and replica", DefaultValueFactory = _ => "demo" };
        var command = new Command("demo", "Generate a Delta table, serve it on 127.0.0.1 and replicate it twice (full, then incremental).") { dir };
        command.SetAction((result, cancel) => CliErrors.Guard(cancel, ct =>
            new DemoRunner(Path.GetFullPath(result.GetValue(dir)!), Console.Out).RunAsync(ct)));
        return command;
    }
}
