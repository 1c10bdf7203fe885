using System.Text.Json;
using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.SharingServer;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// A SharingServer whose only credentials are an OAuth client, listing two items per page, serving five test tables in
/// two shares (one without history, one with change data); plus a version 2 <c>oauth_client_credentials</c> profile.
/// </summary>
internal sealed class OAuthSharing : IAsyncDisposable
{
    public const string ClientId = "partner-42";
    public const string Secret = "oauth-S3CRET-d41d8cd9";

    /// <summary>share, schema, table, test table directory, history shared: in the server's list order.</summary>
    public static readonly (string Share, string Schema, string Table, string Directory, bool History)[] Tables =
    [
        ("sales", "default", "simple_table", "simple_table", true),
        ("sales", "default", "no_history", "simple_table", false),
        ("sales", "default", "changes", "cdf-table", true),
        ("sales", "archive", "partitioned", "delta-0.8.0-partitioned", true),
        ("ops", "logs", "checkpointed", "simple_table_with_checkpoint", true),
    ];

    private OAuthSharing(SharingServerHost host, TempDirectory dir)
    {
        Host = host;
        Dir = dir;
        ProfilePath = host.WriteOAuthProfile(dir.Combine("oauth.share"), ClientId, Secret);
    }

    public SharingServerHost Host { get; }
    public TempDirectory Dir { get; }
    public string ProfilePath { get; }

    /// <summary>The server configuration, as an object or written as a <c>replicasync serve</c> config file.</summary>
    public static SharingServerConfig Config(int tokenLifetimeSeconds = 3600) => new()
    {
        BearerTokens = [],
        OAuthClients = [new OAuthClientConfig { ClientId = ClientId, ClientSecret = Secret, TokenLifetimeSeconds = tokenLifetimeSeconds }],
        MaxPageSize = 2,
        Shares = Tables.GroupBy(t => t.Share).Select(share => new ShareConfig
        {
            Name = share.Key,
            Schemas = share.GroupBy(t => t.Schema).Select(schema => new SchemaConfig
            {
                Name = schema.Key,
                Tables = schema.Select(t => new TableConfig { Name = t.Table, Location = TestPaths.Table(t.Directory), HistoryShared = t.History }).ToList(),
            }).ToList(),
        }).ToList(),
    };

    public static async Task<OAuthSharing> StartAsync() =>
        new(await SharingServerHost.StartAsync(Config(), "http://127.0.0.1:0"), new TempDirectory("oauth-sharing"));

    /// <summary>The latest version of a test table, read from its own log.</summary>
    public static async Task<long> LatestVersionAsync(string directory) =>
        (await new DeltaLog(new LocalObjectStore(TestPaths.Table(directory))).LatestVersionAsync(default))!.Value;

    /// <summary>Writes a profile like <see cref="ProfilePath"/> with one field changed or (null) removed.</summary>
    public string WriteProfileVariant(string name, string field, string? value)
    {
        var profile = JsonSerializer.Deserialize<Dictionary<string, object>>(File.ReadAllText(ProfilePath))!;
        if (value is null)
            profile.Remove(field);
        else
            profile[field] = value;
        var path = Dir.Combine(name);
        File.WriteAllText(path, JsonSerializer.Serialize(profile));
        return path;
    }

    public TableAddress Address(string share, string schema, string table) => new(ProfilePath, share, schema, table);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Dir.Dispose();
    }
}
