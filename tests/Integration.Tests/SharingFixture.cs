using ReplicaSync.Sharing;
using ReplicaSync.SharingServer;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>A running SharingServer on 127.0.0.1 serving some tables, plus a profile file for it.</summary>
internal sealed class SharingFixture : IAsyncDisposable
{
    public const string Token = "test-token-7f3a9c";
    public const string Share = "share";
    public const string Schema = "default";

    private SharingFixture(SharingServerHost host, TempDirectory dir, string profilePath)
    {
        Host = host;
        Dir = dir;
        ProfilePath = profilePath;
    }

    public SharingServerHost Host { get; }
    public TempDirectory Dir { get; }
    public string ProfilePath { get; }

    /// <summary>Starts a server that serves <paramref name="tables"/> (name → location) in share.default.</summary>
    public static async Task<SharingFixture> StartAsync(IReadOnlyDictionary<string, string> tables, bool historyShared = true, int urlLifetimeSeconds = 3600,
        FaultConfig? faults = null)
    {
        var dir = new TempDirectory("sharing");
        var config = new SharingServerConfig
        {
            BearerTokens = [Token],
            UrlLifetimeSeconds = urlLifetimeSeconds,
            Faults = faults,
            Shares =
            [
                new ShareConfig
                {
                    Name = Share,
                    Schemas =
                    [
                        new SchemaConfig
                        {
                            Name = Schema,
                            Tables = tables.Select(t => new TableConfig { Name = t.Key, Location = t.Value, HistoryShared = historyShared }).ToList(),
                        },
                    ],
                },
            ],
        };
        var host = await SharingServerHost.StartAsync(config, "http://127.0.0.1:0");
        var profile = host.WriteProfile(dir.Combine("provider.share"), Token);
        return new SharingFixture(host, dir, profile);
    }

    public TableAddress Address(string table) => TableAddress.Parse($"{ProfilePath}#{Share}.{Schema}.{table}");

    public SharingClient Client() => new(SharingProfile.Load(ProfilePath), options: new SharingClientOptions { BaseDelay = TimeSpan.FromMilliseconds(10) });

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Dir.Dispose();
    }
}
