using System.Text.Json;
using ReplicaSync.Storage;
using ReplicaSync.Storage.Gcs;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// <c>replicasync sync</c> into <c>gs://</c> on the Firebase Storage emulator, authenticating with a real
/// service-account key file (its token endpoint a local fake), checked over plain REST that shares no code with the
/// store; the CLI's output never shows the token or the key.
/// </summary>
[Collection(GcsEmulatorCollection.Name)]
public class GcsReplicationTests(GcsEmulator emulator)
{
    private const string Prefix = "replicas/simple";
    private static readonly HttpClient Rest = new();

    [Fact]
    public async Task Cli_sync_into_gcs_copies_the_providers_bytes_writes_a_valid_log_and_never_prints_secrets()
    {
        var providerRoot = TestPaths.Table("simple_table");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["simple_table"] = providerRoot });
        await using var oauth = await FakeGoogleTokenServer.StartAsync();
        using var keys = new TempDirectory("gcs-keys");
        var (keyFile, pem) = oauth.WriteKeyFile(keys.Path);
        var bucket = GcsEmulator.NewBucket();

        var result = await CliProcess.RunAsync(
            ["sync", "--table", sharing.Address("simple_table").ToString(), "--target", $"gs://{bucket}/{Prefix}", "--from", "0"], CliProcess.DefaultTimeout,
            new Dictionary<string, string> { [GcsAddress.EndpointVariable] = emulator.Endpoint, [GcsAddress.CredentialsVariable] = keyFile });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(oauth.Grants >= 1, "the CLI did not authenticate with the key file");
        Assert.DoesNotContain(oauth.AccessToken, result.ToString());
        Assert.DoesNotContain(FakeGoogleTokenServer.SecretPart(pem), result.ToString());

        var objects = await ListBucketAsync(bucket);
        Assert.All(objects.Keys, key => Assert.StartsWith(Prefix + "/", key));
        // The log is replayed over the store under test; sizes and bytes come from plain REST.
        using var replica = new GcsObjectStore(new GcsStoreOptions
        {
            Bucket = bucket, Prefix = Prefix, Endpoint = new Uri(emulator.Endpoint), Credentials = GcsCredentials.None,
        });
        await RemoteReplicaCheck.AssertMatchesProviderAsync(providerRoot, objects.ToDictionary(o => o.Key[(Prefix.Length + 1)..], o => o.Value),
            key => GetHashAsync(bucket, $"{Prefix}/{key}"), replica);
    }

    [Fact]
    public async Task Cli_sync_with_rejected_credentials_fails_naming_the_cause_without_the_key()
    {
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["simple_table"] = TestPaths.Table("simple_table") });
        await using var oauth = await FakeGoogleTokenServer.StartAsync(reject: true);
        using var keys = new TempDirectory("gcs-keys");
        var (keyFile, pem) = oauth.WriteKeyFile(keys.Path);
        var bucket = GcsEmulator.NewBucket();

        var result = await CliProcess.RunAsync(
            ["sync", "--table", sharing.Address("simple_table").ToString(), "--target", $"gs://{bucket}/{Prefix}"], CliProcess.DefaultTimeout,
            new Dictionary<string, string> { [GcsAddress.EndpointVariable] = emulator.Endpoint, [GcsAddress.CredentialsVariable] = keyFile });
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("credentials", result.Stderr);
        Assert.Contains("invalid_grant", result.Stderr);
        Assert.DoesNotContain(FakeGoogleTokenServer.SecretPart(pem), result.ToString());
        Assert.DoesNotContain(SharingFixture.Token, result.ToString());
        Assert.Empty(await ListBucketAsync(bucket));
    }

    /// <summary>Every object name and size in the bucket, paged the plain JSON-API way.</summary>
    private async Task<Dictionary<string, long>> ListBucketAsync(string bucket)
    {
        var objects = new Dictionary<string, long>();
        string? pageToken = null;
        do
        {
            var url = $"{emulator.Endpoint}storage/v1/b/{bucket}/o" + (pageToken is null ? "" : $"?pageToken={Uri.EscapeDataString(pageToken)}");
            using var page = JsonDocument.Parse(await Rest.GetStringAsync(url));
            if (page.RootElement.TryGetProperty("items", out var items))
            {
                foreach (var item in items.EnumerateArray())
                    objects.Add(item.GetProperty("name").GetString()!, long.Parse(item.GetProperty("size").GetString()!));
            }
            pageToken = page.RootElement.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
        }
        while (pageToken is not null);
        return objects;
    }

    private async Task<string> GetHashAsync(string bucket, string key)
    {
        var bytes = await Rest.GetByteArrayAsync($"{emulator.Endpoint}storage/v1/b/{bucket}/o/{Uri.EscapeDataString(key)}?alt=media");
        return RemoteReplicaCheck.Sha256(bytes);
    }

}
