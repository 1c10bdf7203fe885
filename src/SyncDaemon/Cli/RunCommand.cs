using System.CommandLine;
using ReplicaSync.Daemon.Cluster;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Service;
using ReplicaSync.SharingServer;

namespace ReplicaSync.Daemon.Cli;

/// <summary><c>replicasync run</c>: the long-lived service that keeps every configured table replicated on its schedule.</summary>
public static class RunCommand
{
    /// <summary>Exit code when the configuration is invalid (nothing was started).</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>Exit code when the cluster's database cannot be reached or its tables cannot be created (nothing was started).</summary>
    public const int ClusterUnreachable = 3;

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "daemon configuration file (JSON; REPLICASYNC__<key> environment variables override it)", Required = true };
        var command = new Command("run", "Run as a service: scheduled replication of many tables, /healthz /readyz /status /metrics endpoints.") { config };
        command.SetAction(async (result, ct) =>
        {
            var path = Path.GetFullPath(result.GetValue(config)!);
            DaemonSettings settings;
            try
            {
                settings = new SettingsReader(SettingsReader.Load(path), Path.GetDirectoryName(path)!).Read();
            }
            catch (DaemonConfigException e)
            {
                Console.Error.WriteLine($"error: {path}: {e.Message}");
                return InvalidConfiguration;
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or FormatException)
            {
                Console.Error.WriteLine($"error: {path}: cannot read the configuration: {e.Message}");
                return InvalidConfiguration;
            }
            if (settings.Cluster is { } cluster)
            {
                try
                {
                    await ClusterSchema.ApplyAsync(cluster.Postgres, ct);
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
                {
                    // Npgsql's messages name the host and the failure, never the connection string's password.
                    Console.Error.WriteLine($"error: cannot create the cluster's tables in PostgreSQL (cluster:postgres): {e.Message}");
                    return ClusterUnreachable;
                }
            }
            await using var app = DaemonHost.Build(settings);
            try
            {
                // The host's console lifetime turns SIGTERM/SIGINT into a graceful stop (see DrainSignal).
                await app.RunAsync();
            }
            catch (SharingConfigException e)
            {
                // A served replica's store cannot pre-sign URLs with its credential: found when the server starts.
                Console.Error.WriteLine($"error: {path}: serve: {e.Message}");
                return InvalidConfiguration;
            }
            return 0;
        });
        return command;
    }
}
