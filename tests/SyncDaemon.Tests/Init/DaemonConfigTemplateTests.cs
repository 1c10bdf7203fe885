using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Init;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Daemon.Tests.Init;

/// <summary>The config init renders is read by the daemon's own settings reader as it is, whatever the names hold.</summary>
public sealed class DaemonConfigTemplateTests : IDisposable
{
    private readonly TempDirectory _dir = new("init-template");

    [Fact]
    public void The_rendered_config_is_accepted_by_the_settings_reader_with_every_table_from_latest()
    {
        File.WriteAllText(_dir.Combine("p.share"), """{"shareCredentialsVersion":1,"endpoint":"http://127.0.0.1:9/ds","bearerToken":"t"}""");
        // Quotes, backslashes and comment markers in provider names stay inside JSON strings.
        InitTable[] tables =
        [
            new("sales.default.orders", "p.share#sales.default.orders", Path.Combine("replicas", "sales", "default", "orders")),
            new("odd.s.t", "p.share#od\"d*/.s.t\\//x", Path.Combine("replicas", "od%22d", "s", "t")),
        ];
        var path = _dir.Combine("replicasync.json");
        File.WriteAllText(path, DaemonConfigTemplate.Render(tables, "0 */5 * * * ?"));

        var settings = new SettingsReader(SettingsReader.Load(path), _dir.Path).Read();

        Assert.Equal(["odd.s.t", "sales.default.orders"], settings.Tables.Select(t => t.Name).Order(StringComparer.Ordinal));
        var odd = settings.Tables.Single(t => t.Name == "odd.s.t");
        Assert.Equal("od\"d*/", odd.Source.Share);
        Assert.Equal("t\\//x", odd.Source.Table);
        Assert.All(settings.Tables, t =>
        {
            Assert.Equal(StartPoint.Latest, t.From);
            Assert.Equal("0 */5 * * * ?", t.Cron);
            Assert.StartsWith(_dir.Combine("replicas"), t.Target);
        });
    }

    public void Dispose() => _dir.Dispose();
}
