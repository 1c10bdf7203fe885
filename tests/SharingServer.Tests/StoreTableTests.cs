using ReplicaSync.Storage;
using ReplicaSync.Storage.Gcs;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>Tables whose location is a store address: opened through the store, refused at start-up when the store cannot sign URLs.</summary>
public sealed class StoreTableTests
{
    [Fact]
    public async Task A_gcs_table_without_a_service_account_fails_at_start_up_naming_the_table_and_the_reason()
    {
        var config = TestServer.SingleTable("gs://emulated-bucket/replicas/t");
        using var store = new GcsObjectStore(new GcsStoreOptions
        {
            Bucket = "emulated-bucket", Prefix = "replicas/t", Endpoint = new Uri("http://127.0.0.1:9/"), Credentials = GcsCredentials.None,
        });

        var e = await Assert.ThrowsAsync<SharingConfigException>(() => SharingServerHost.StartAsync(config, openStore: _ => store));

        var problem = Assert.Single(e.Problems);
        Assert.Contains("share1.default.t (gs://emulated-bucket/replicas/t) cannot be re-shared", problem);
        Assert.Contains("service account", problem);
    }

    [Theory]
    [InlineData("ftp://host/table", "scheme 'ftp://' is not supported")]
    [InlineData("no/such/dir-8f1c", "directory not found")]
    public void Unusable_locations_are_config_problems(string location, string reason)
    {
        var config = TestServer.SingleTable(location);
        var e = Assert.Throws<SharingConfigException>(config.Validate);
        Assert.Contains(e.Problems, p => p.StartsWith($"shares[0].schemas[0].tables[0].location: {reason}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_store_table_takes_no_file_url_base_and_url_lifetimes_stop_at_seven_days()
    {
        var config = TestServer.SingleTable("s3://bucket/replicas/t");
        config.Shares[0].Schemas[0].Tables[0].FileUrlBase = "http://127.0.0.1:8080/files";
        config.UrlLifetimeSeconds = 7 * 24 * 3600 + 1;
        var e = Assert.Throws<SharingConfigException>(config.Validate);
        Assert.Contains(e.Problems, p => p.StartsWith("shares[0].schemas[0].tables[0].fileUrlBase: applies to local tables only", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("urlLifetimeSeconds: must be from 1 to 604800", StringComparison.Ordinal));
    }

    [Fact]
    public void Recipient_problems_are_named_by_their_json_path()
    {
        using var dir = new TempDirectory("recipients");
        var config = TestServer.SingleTable(dir.Path);
        config.Recipients =
        [
            new RecipientConfig { Name = "a", Token = "t1", TokenSha256 = new string('0', 64), Shares = ["share1"] },
            new RecipientConfig { Name = "a", TokenSha256 = "abc", Shares = ["nosuch"] },
            new RecipientConfig { Name = "", Token = "has space", Shares = ["share1"] },
        ];
        config.OAuthClients = [new OAuthClientConfig { ClientId = "c", ClientSecret = "s", Recipient = "nobody" }];
        var e = Assert.Throws<SharingConfigException>(config.Validate);
        foreach (var expected in new[]
        {
            "recipients[0].token: give exactly one of token and tokenSha256",
            "recipients[1].name: duplicate recipient 'a'",
            "recipients[1].tokenSha256: must be 64 hexadecimal digits",
            "recipients[1].shares[0]: 'nosuch' is not a configured share",
            "recipients[2].name: is required",
            "recipients[2].token: must be non-empty and contain no whitespace",
            "oauthClients[0].recipient: 'nobody' is not a configured recipient",
        })
            Assert.Contains(e.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }
}
