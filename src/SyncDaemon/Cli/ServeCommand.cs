using System.CommandLine;
using ReplicaSync.SharingServer;

namespace ReplicaSync.Daemon.Cli;

/// <summary><c>replicasync serve</c>: runs the Delta Sharing server over local Delta tables until stopped.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "server configuration file (JSON)", Required = true };
        var urls = new Option<string>("--urls") { Description = "listen address", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var command = new Command("serve", "Serve Delta tables over the Delta Sharing protocol.") { config, urls };
        command.SetAction((result, cancel) => CliErrors.Guard(cancel, async ct =>
        {
            var serverConfig = SharingServerConfig.Load(result.GetValue(config)!);
            await using var host = await SharingServerHost.StartAsync(serverConfig, result.GetValue(urls)!, ct);
            Console.WriteLine($"serving Delta Sharing at {host.Endpoint} (Ctrl+C to stop)");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            await host.StopAsync(CancellationToken.None);
            return 0;
        }));
        return command;
    }
}
