using Microsoft.Extensions.Configuration;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Daemon.Tests.Configuration;

/// <summary>The <c>cluster</c> section: absent means the in-memory scheduler; present, it is checked without echoing the connection string.</summary>
public sealed class ClusterSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new("cluster-settings");

    public ClusterSettingsTests() =>
        File.WriteAllText(_dir.Combine("p.share"), """{"shareCredentialsVersion":1,"endpoint":"http://127.0.0.1:9/ds","bearerToken":"t"}""");

    [Fact]
    public void Without_the_section_the_daemon_runs_alone()
    {
        Assert.Null(Read([]).Cluster);
    }

    [Fact]
    public void The_connection_string_and_check_in_interval_are_read_from_the_file_or_the_environment()
    {
        var cluster = Read(new() { ["cluster:postgres"] = "Host=db;Database=replicasync;Username=rs;Password=pw", ["cluster:checkinIntervalSeconds"] = "2.5" }).Cluster;

        Assert.NotNull(cluster);
        Assert.Equal("Host=db;Database=replicasync;Username=rs;Password=pw", cluster.Postgres);
        Assert.Equal(TimeSpan.FromSeconds(2.5), cluster.CheckinInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), Read(new() { ["cluster:postgres"] = "Host=db" }).Cluster!.CheckinInterval);
    }

    [Fact]
    public void A_bad_cluster_section_is_named_key_by_key_and_never_shows_the_password()
    {
        var missing = Assert.Throws<DaemonConfigException>(() => Read(new() { ["cluster:checkinIntervalSeconds"] = "5", ["cluster:nodes"] = "3" }));
        Assert.Equal(["cluster:nodes", "cluster:postgres"], missing.Problems.Select(p => p.Key).Order(StringComparer.Ordinal));

        var garbled = Assert.Throws<DaemonConfigException>(() => Read(new() { ["cluster:postgres"] = "Host=db;Password=hunter2-secret;Bogus Key=1" }));
        var problem = Assert.Single(garbled.Problems);
        Assert.Equal("cluster:postgres", problem.Key);
        Assert.DoesNotContain("hunter2", garbled.Message, StringComparison.Ordinal);

        var hostless = Assert.Throws<DaemonConfigException>(() => Read(new() { ["cluster:postgres"] = "Database=x;Password=hunter2-secret" }));
        Assert.Contains("Host", Assert.Single(hostless.Problems).Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", hostless.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private DaemonSettings Read(Dictionary<string, string?> values)
    {
        values["tables:a:source"] = "p.share#s.d.a";
        values["tables:a:target"] = "a";
        values["tables:a:intervalSeconds"] = "60";
        return new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), _dir.Path).Read();
    }
}
