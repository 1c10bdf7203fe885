using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ReplicaSync.Sharing;
using ReplicaSync.SharingServer;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Reshare;

/// <summary>
/// The pieces of a re-share chain: a provider table grown through every kind of change, a sync into a target, and a
/// SharingServer that re-shares a replica to one recipient as <c>replicas.eu.orders</c>.
/// </summary>
internal static class ReshareHop
{
    public const string Recipient = "region-b";
    public const string Token = "region-b-token-4c8d";
    public const string Qualified = "replicas.eu.orders";

    private static readonly SyncOptions FastRetries = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(10) };

    /// <summary>Versions 0..7: create, a partition value with '/' and '%', delete, overwrite, schema change, append, compaction (dataChange=false), append.</summary>
    public static async Task<ProviderTableBuilder> GrowProviderAsync(string root)
    {
        var table = new ProviderTableBuilder(root);
        await table.CreateAsync("a", "b", null);
        await table.AppendAsync("a", "a/b%c", "b");
        await table.DeleteAsync(2);
        await table.OverwriteAsync("a", "c");
        await table.ChangeSchemaAsync();
        await table.AppendAsync("a", "a", "c", null);
        await table.OptimizeAsync("a");
        await table.AppendAsync("c");
        return table;
    }

    /// <summary>
    /// The whole chain: provider (grown through every kind of change) → replica A at <paramref name="replicaA"/> (opened
    /// by <paramref name="open"/>) → re-shared by a SharingServer → replica B on local disk. Every URL the re-share
    /// announces passes <paramref name="checkUrl"/>; the bytes came from the store itself when
    /// <paramref name="storeServesFiles"/>, else through the server's signed file endpoint. B must be version-aligned
    /// with the provider.
    /// </summary>
    public static async Task AssertChainAlignedAsync(string replicaA, Func<string, IObjectStore> open, Action<Uri> checkUrl, bool storeServesFiles)
    {
        using var provider = new TempDirectory("provider");
        using var replicaB = new TempDirectory("replica-b");
        var table = await GrowProviderAsync(provider.Path);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["orders"] = provider.Path });
        var storeA = open(replicaA);
        try
        {
            Assert.True((await SyncAsync(sharing.ProfilePath, "share.default.orders", storeA)).Reached);
        }
        finally
        {
            (storeA as IDisposable)?.Dispose();
        }

        var (host, profile) = await ServeAsync(replicaA, sharing.Dir, open);
        await using (host)
        {
            var urls = await AnnouncedUrlsAsync(host);
            Assert.NotEmpty(urls);
            Assert.All(urls, checkUrl);
            var report = await SyncAsync(profile, Qualified, new LocalObjectStore(replicaB.Path));
            Assert.True(report.Reached);
            Assert.Equal(table.Version, report.ProviderVersion);
            Assert.Equal(storeServesFiles, host.Faults.FilesServed.Count == 0);
        }

        await ReplicaComparer.AssertAlignedAsync(provider.Path, replicaB.Path, TableAddress.Parse($"{profile}#{Qualified}").QualifiedName);
    }

    /// <summary>Syncs the table <paramref name="qualified"/> behind <paramref name="profilePath"/> into <paramref name="target"/> from version 0.</summary>
    public static async Task<SyncReport> SyncAsync(string profilePath, string qualified, IObjectStore target)
    {
        var address = TableAddress.Parse($"{profilePath}#{qualified}");
        using var client = new SharingClient(SharingProfile.Load(profilePath), options: new SharingClientOptions { BaseDelay = TimeSpan.FromMilliseconds(10) });
        using var http = FileHttp.CreateClient();
        return await new SyncEngine(client, target, http, FastRetries).RunAsync(address, null, null, default);
    }

    /// <summary>Re-shares the replica at <paramref name="location"/> to <see cref="Recipient"/> only, and writes that recipient's profile into <paramref name="dir"/>.</summary>
    public static async Task<(SharingServerHost Host, string Profile)> ServeAsync(string location, TempDirectory dir, Func<string, IObjectStore>? openStore = null)
    {
        var config = new SharingServerConfig
        {
            Recipients = [new RecipientConfig { Name = Recipient, Token = Token, Shares = ["replicas"] }],
            Shares =
            [
                new ShareConfig { Name = "replicas", Schemas = [new SchemaConfig { Name = "eu", Tables = [new TableConfig { Name = "orders", Location = location }] }] },
            ],
        };
        var host = await SharingServerHost.StartAsync(config, openStore: openStore);
        return (host, host.WriteProfile(dir.Combine("reshare.share"), Token));
    }

    /// <summary>The file URLs of a latest-snapshot query, as the re-share's recipient gets them.</summary>
    public static async Task<List<Uri>> AnnouncedUrlsAsync(SharingServerHost host)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await http.PostAsync(host.Endpoint.AbsoluteUri.TrimEnd('/') + "/shares/replicas/schemas/eu/tables/orders/query",
            new StringContent("{}", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.TryGetProperty("file", out _))
            .Select(l => new Uri(l.GetProperty("file").GetProperty("url").GetString()!))
            .ToList();
    }
}
