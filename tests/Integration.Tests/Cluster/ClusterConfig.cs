using System.Text.Json.Nodes;
using ReplicaSync.Integration.Tests.Daemon;

namespace ReplicaSync.Integration.Tests.Cluster;

/// <summary>Configurations and processes of cluster nodes: the same tables and database for every node, each on its own port.</summary>
internal static class ClusterConfig
{
    /// <summary>Check-in interval of the test clusters: short, so a dead node is found in seconds.</summary>
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(2);

    public static JsonObject For(SharingFixture sharing, string replicaRoot, string database, IEnumerable<string> tables, double intervalSeconds)
    {
        var config = DaemonConfig.For(sharing, replicaRoot, [.. tables.Select(t => (t, intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
        config["startupJitterSeconds"] = 1;
        config["cluster"] = new JsonObject { ["postgres"] = database, ["checkinIntervalSeconds"] = CheckinInterval.TotalSeconds };
        return config;
    }

    /// <summary>Starts node <paramref name="index"/> with its own copy of <paramref name="config"/> and returns it with its node id.</summary>
    public static async Task<(DaemonProcess Daemon, string Id)> StartNodeAsync(SharingFixture sharing, JsonObject config, int index)
    {
        var daemon = await DaemonProcess.StartAsync(sharing.Dir.Combine($"node{index}.json"), (JsonObject)config.DeepClone());
        return (daemon, (string)(await daemon.StatusAsync())["node"]!);
    }
}
