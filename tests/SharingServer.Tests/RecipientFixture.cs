using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>
/// One server over the test tables with recipients: alice (share1), bob (share2, configured by token hash), carol
/// (both shares, expired), an OAuth client acting for alice, and the plain bearer token (every share). Its logs are captured.
/// </summary>
public sealed class RecipientFixture : IAsyncLifetime
{
    public const string AliceToken = "alice-token-5d1e";
    public const string BobToken = "bob-token-a07c";
    public const string CarolToken = "carol-token-77b2";
    public const string AppId = "alice-app";
    public const string AppSecret = "alice-app-secret-90f1";
    public const int BodyLimit = 4096;

    internal TestServer Server { get; private set; } = null!;
    internal CapturedLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        var config = TestServer.DefaultConfig();
        config.MaxRequestBodyBytes = BodyLimit;
        config.Recipients =
        [
            new RecipientConfig { Name = "alice", Token = AliceToken, Shares = ["share1"] },
            new RecipientConfig { Name = "bob", TokenSha256 = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(BobToken))), Shares = ["SHARE2"] },
            new RecipientConfig { Name = "carol", Token = CarolToken, Expires = DateTimeOffset.UtcNow.AddSeconds(-1), Shares = ["share1", "share2"] },
        ];
        config.OAuthClients = [new OAuthClientConfig { ClientId = AppId, ClientSecret = AppSecret, Recipient = "alice" }];
        Server = new TestServer(await SharingServerHost.StartAsync(config, logs: Logs), config);
    }

    /// <summary>A client sending <paramref name="token"/> as its bearer token (none when null).</summary>
    internal static HttpClient ClientFor(string? token)
    {
        var http = new HttpClient();
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
