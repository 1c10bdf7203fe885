using ReplicaSync.Storage.Azure;
using ReplicaSync.TestSupport;
using TokenCredential = Azure.Core.TokenCredential;

namespace ReplicaSync.Tests.Storage;

/// <summary>Azure target addresses and the environment they are configured from; malformed ones name the bad part.</summary>
public sealed class AzureAddressTests
{
    private const string Sas = "sv=2022-11-02&sr=c&sp=rcwdl&se=2030-01-01T00%3A00%3A00Z&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";

    [Fact]
    public void Az_takes_the_account_from_the_environment_and_defaults_to_the_public_blob_endpoint()
    {
        var options = Parse("az://replicas/tables/t1/", new() { [AzureAddress.AccountVariable] = "acct1", [AzureAddress.AccountKeyVariable] = AzuriteServer.AccountKey });
        Assert.Equal(("acct1", "replicas", "tables/t1"), (options.Account, options.Container, options.Prefix));
        Assert.Equal("https://acct1.blob.core.windows.net", options.ServiceUrl);
        Assert.Equal("account key", options.Credential.Kind);
        Assert.Equal("https://acct1.blob.core.windows.net/replicas/tables/t1", new AzureBlobStore(options).Location);
        // The options are a record: printing one must show the credential's kind, never the key.
        Assert.Contains("Credential = account key", options.ToString());
        Assert.DoesNotContain(AzuriteServer.AccountKey, options.ToString());
    }

    [Theory]
    [InlineData("abfss://replicas@acct1.dfs.core.windows.net/tables/t1", "https://acct1.blob.core.windows.net", "tables/t1")]
    [InlineData("abfss://replicas@ACCT1.dfs.core.chinacloudapi.cn", "https://acct1.blob.core.chinacloudapi.cn", "")]
    [InlineData("https://acct1.blob.core.windows.net/replicas/tables/t1", "https://acct1.blob.core.windows.net", "tables/t1")]
    [InlineData("https://acct1.blob.core.usgovcloudapi.net/replicas/", "https://acct1.blob.core.usgovcloudapi.net", "")]
    public void Abfss_and_https_addresses_name_account_and_cloud(string address, string serviceUrl, string prefix)
    {
        var options = Parse(address, new() { [AzureAddress.SasVariable] = "?" + Sas });
        Assert.Equal(("acct1", "replicas", prefix), (options.Account, options.Container, options.Prefix));
        Assert.Equal(serviceUrl, options.ServiceUrl);
        Assert.Equal("SAS token", options.Credential.Kind);
    }

    [Theory]
    [InlineData("http://127.0.0.1:10000", "http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("http://127.0.0.1:10000/", "http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1", "http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("https://devstoreaccount1.blob.example.internal", "https://devstoreaccount1.blob.example.internal")]
    public void An_endpoint_override_is_used_path_style_unless_it_already_names_the_account(string endpoint, string serviceUrl)
    {
        Assert.Equal(serviceUrl, WithEndpoint(endpoint).ServiceUrl);
    }

    [Theory]
    [InlineData("http://127.0.0.1:10000", "http://127.0.0.1:10000/devstoreaccount1/replicas/tables/t1")]
    [InlineData("http://azurite:10000", "http://azurite:10000/devstoreaccount1/replicas/tables/t1")]
    [InlineData("https://devstoreaccount1.blob.example.internal", "https://devstoreaccount1.blob.example.internal/replicas/tables/t1")]
    public void The_sdk_addresses_blobs_under_the_endpoint_as_the_options_say(string endpoint, string location)
    {
        Assert.Equal(location, new AzureBlobStore(WithEndpoint(endpoint)).Location);
    }

    [Fact]
    public void A_named_path_style_endpoint_the_sdk_would_misread_is_refused_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => new AzureBlobStore(WithEndpoint("http://blob-proxy.internal:8080")));
        Assert.Contains("http://blob-proxy.internal:8080/devstoreaccount1", e.Message);
    }

    /// <summary>az://replicas/tables/t1 on the dev account with the key, served at <paramref name="endpoint"/>.</summary>
    private static AzureStoreOptions WithEndpoint(string endpoint) => Parse("az://replicas/tables/t1", new()
    {
        [AzureAddress.AccountVariable] = "devstoreaccount1", [AzureAddress.EndpointVariable] = endpoint,
        [AzureAddress.AccountKeyVariable] = AzuriteServer.AccountKey,
    });

    [Fact]
    public void Without_a_key_or_sas_the_default_credential_gives_bearer_tokens()
    {
        var made = 0;
        var options = AzureAddress.Parse("abfss://replicas@acct1.dfs.core.windows.net/p", _ => null, () =>
        {
            made++;
            return new FakeTokenCredential("tok");
        });
        Assert.Equal((1, "Entra ID token"), (made, options.Credential.Kind));
        // The key wins over a SAS when both are set.
        Assert.Equal("account key", Parse("az://replicas", new()
        {
            [AzureAddress.AccountVariable] = "acct1", [AzureAddress.AccountKeyVariable] = AzuriteServer.AccountKey, [AzureAddress.SasVariable] = Sas,
        }).Credential.Kind);
    }

    [Fact]
    public void Bearer_tokens_are_refused_for_an_http_endpoint_before_any_is_fetched()
    {
        var tokens = new FakeTokenCredential("tok");
        var e = Assert.Throws<ArgumentException>(() => AzureAddress.Parse("az://replicas",
            name => name switch { AzureAddress.AccountVariable => "devstoreaccount1", AzureAddress.EndpointVariable => "http://127.0.0.1:10000", _ => null },
            () => tokens));
        Assert.Contains("only over https", e.Message);
        Assert.Contains(AzureAddress.AccountKeyVariable, e.Message);
        Assert.Equal(0, tokens.Requests);
    }

    [Fact]
    public void The_real_default_credential_restores_and_is_built_without_network_io()
    {
        var options = AzureAddress.Parse("abfss://replicas@acct1.dfs.core.windows.net/p", _ => null);
        Assert.Equal("Entra ID token", options.Credential.Kind);
    }

    [Theory]
    [InlineData("az://", "no container name")]
    [InlineData("az:///prefix", "no container name")]
    [InlineData("az://Bad_Name/x", "container name 'Bad_Name'")]
    [InlineData("az://ab/x", "container name 'ab'")]
    [InlineData("az://a--b/x", "container name 'a--b'")]
    [InlineData("az://replicas/a//b", "unusable prefix")]
    [InlineData("az://replicas/a/../b", "unusable prefix")]
    [InlineData("abfss://acct1.dfs.core.windows.net/x", "has no container")]
    [InlineData("abfss://replicas@acct1.blob.core.windows.net/x", "expected account.dfs.core.windows.net")]
    [InlineData("abfss://replicas@/x", "has host ''")]
    [InlineData("abfss://replicas@Bad-Account.dfs.core.windows.net/x", "storage account name 'bad-account'")]
    [InlineData("https://acct1.blob.core.windows.net/", "no container name")]
    [InlineData("https://acct1.blob.core.windows.net:8443/replicas", "https://account.blob.core.windows.net/container/prefix")]
    [InlineData("gs://bucket/x", "not an Azure address")]
    public void Malformed_addresses_fail_naming_the_bad_part(string address, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Parse(address, new() { [AzureAddress.AccountKeyVariable] = AzuriteServer.AccountKey }));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Configuration_errors_name_the_variable_and_never_echo_a_secret()
    {
        var noAccount = Assert.Throws<ArgumentException>(() => Parse("az://replicas/p", new() { [AzureAddress.AccountKeyVariable] = AzuriteServer.AccountKey }));
        Assert.Contains(AzureAddress.AccountVariable, noAccount.Message);

        var badAccount = Assert.Throws<ArgumentException>(() => Parse("az://replicas/p", new() { [AzureAddress.AccountVariable] = "Not_An_Account" }));
        Assert.Contains("storage account name 'Not_An_Account'", badAccount.Message);

        var mismatch = Assert.Throws<ArgumentException>(() => Parse("abfss://replicas@acct1.dfs.core.windows.net", new() { [AzureAddress.AccountVariable] = "acct2" }));
        Assert.Contains("'acct2'", mismatch.Message);
        Assert.Contains("'acct1'", mismatch.Message);

        const string notBase64 = "this-is-not-base64-but-still-secret!";
        var badKey = Assert.Throws<ArgumentException>(() => Parse("az://replicas", new() { [AzureAddress.AccountVariable] = "acct1", [AzureAddress.AccountKeyVariable] = notBase64 }));
        Assert.Contains(AzureAddress.AccountKeyVariable, badKey.Message);
        Assert.DoesNotContain(notBase64, badKey.ToString());

        var badSas = Assert.Throws<ArgumentException>(() => Parse("az://replicas", new() { [AzureAddress.AccountVariable] = "acct1", [AzureAddress.SasVariable] = "sv=2022-11-02&sp=r" }));
        Assert.Contains(AzureAddress.SasVariable, badSas.Message);

        var sasInAddress = Assert.Throws<ArgumentException>(() => Parse("https://acct1.blob.core.windows.net/replicas/p?" + Sas, new()));
        Assert.Contains(AzureAddress.SasVariable, sasInAddress.Message);
        Assert.DoesNotContain("c2VjcmV0", sasInAddress.Message);

        var badEndpoint = Assert.Throws<ArgumentException>(() => Parse("az://replicas", new()
        {
            [AzureAddress.AccountVariable] = "acct1", [AzureAddress.EndpointVariable] = "http://127.0.0.1:10000/?" + Sas, [AzureAddress.AccountKeyVariable] = AzuriteServer.AccountKey,
        }));
        Assert.Contains(AzureAddress.EndpointVariable, badEndpoint.Message);
        Assert.DoesNotContain("c2VjcmV0", badEndpoint.Message);
    }

    [Theory]
    [InlineData("az://c1c/p", true)]
    [InlineData("AZ://c1c/p", true)]
    [InlineData("abfss://c1c@a.dfs.core.windows.net/p", true)]
    [InlineData("https://acct1.blob.core.windows.net/c1c", true)]
    [InlineData("https://example.com/c1c", false)]
    [InlineData("s3://bucket/p", false)]
    [InlineData("/tmp/replica", false)]
    public void Azure_addresses_are_recognised_by_scheme_or_blob_host(string address, bool expected) =>
        Assert.Equal(expected, AzureAddress.IsAzure(address));

    private static AzureStoreOptions Parse(string address, Dictionary<string, string> environment) =>
        AzureAddress.Parse(address, name => environment.GetValueOrDefault(name), () => new FakeTokenCredential("unused"));
}

/// <summary>An Azure.Core credential that hands out a fixed token and counts the requests for it.</summary>
internal sealed class FakeTokenCredential(string token) : TokenCredential
{
    public int Requests;
    public string[] LastScopes = [];

    public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Requests);
        LastScopes = requestContext.Scopes;
        return new Azure.Core.AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
