using ReplicaSync.Storage;
using ReplicaSync.Storage.Azure;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Integration.Tests;

/// <summary>The Azure integration tests share one Azurite; each test gets its own container.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteIntegrationCollection : ICollectionFixture<AzuriteServer>
{
    public const string Name = "azurite";
}

/// <summary>
/// The real <c>replicasync sync</c> into <c>az://container/prefix</c> on Azurite, configured only through the
/// environment, then checked with plain signed REST calls that share no code with the store: same files, same bytes,
/// a log that replays to the provider's version, and no key or SAS signature anywhere in what the CLI printed.
/// </summary>
[Collection(AzuriteIntegrationCollection.Name)]
public class AzureReplicationTests(AzuriteServer azurite, ITestOutputHelper output)
{
    private const string Table = "simple_table";
    private const string WrongKey = "V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3Jvbmc=";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Cli_sync_into_azure_with_a_key_or_a_sas_copies_the_providers_bytes_and_log_and_prints_no_secret()
    {
        var providerRoot = TestPaths.Table(Table);
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { [Table] = providerRoot });
        var address = sharing.Address(Table).ToString();
        var container = await azurite.CreateContainerAsync();
        using var rest = azurite.Rest();
        var sas = rest.ServiceSas(container, null, "rcwdl", DateTimeOffset.UtcNow.AddHours(1));
        var sasSignature = sas.Split("sig=")[1];

        var withKey = await CliProcess.RunAsync(["sync", "--table", address, "--target", $"az://{container}/replicas/key", "--from", "0"], Timeout,
            CliEnvironment(AzureAddress.AccountKeyVariable, AzuriteServer.AccountKey));
        var withSas = await CliProcess.RunAsync(["sync", "--table", address, "--target", $"az://{container}/replicas/sas", "--from", "0"], Timeout,
            CliEnvironment(AzureAddress.SasVariable, sas));
        var status = await CliProcess.RunAsync(["status", "--target", $"az://{container}/replicas/sas"], Timeout,
            CliEnvironment(AzureAddress.SasVariable, sas));
        var wrongKey = await CliProcess.RunAsync(["sync", "--table", address, "--target", $"az://{container}/replicas/wrong"], Timeout,
            CliEnvironment(AzureAddress.AccountKeyVariable, WrongKey));
        output.WriteLine(withKey.ToString());
        output.WriteLine(wrongKey.ToString());

        Assert.True(withKey.ExitCode == 0, withKey.ToString());
        Assert.True(withSas.ExitCode == 0, withSas.ToString());
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains(status.StdoutLines, l => l.StartsWith("version:", StringComparison.Ordinal) && l.Split(':')[1].Trim() == "4");
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains($"authentication failed for account {AzuriteServer.Account}", wrongKey.Stderr);

        foreach (var run in new[] { withKey, withSas, status, wrongKey })
        {
            var printed = run.Stdout + "\n" + run.Stderr;
            Assert.DoesNotContain(AzuriteServer.AccountKey, printed);
            Assert.DoesNotContain(WrongKey, printed);
            Assert.DoesNotContain(sasSignature, printed);
            Assert.DoesNotContain(Uri.UnescapeDataString(sasSignature), printed);
            Assert.DoesNotContain("sig=", printed);
        }

        await AssertReplicaAsync(rest, container, "replicas/key", providerRoot);
        await AssertReplicaAsync(rest, container, "replicas/sas", providerRoot);
        Assert.Empty(await rest.ListAsync(container, "replicas/wrong/"));
    }

    /// <summary>
    /// Lists and reads the replica with the plain REST client: log commits 0..4 are there, our log replay over Azure
    /// reaches the provider's version and schema, and every data file has the bytes of a provider file (the live ones
    /// exactly those of the provider's live files).
    /// </summary>
    private async Task AssertReplicaAsync(AzureRest rest, string container, string prefix, string providerRoot)
    {
        var blobs = await rest.ListAsync(container, prefix + "/");
        var replicaStore = new AzureBlobStore(new AzureStoreOptions
        {
            Account = AzuriteServer.Account, Container = container, Prefix = prefix, Endpoint = new Uri(azurite.Endpoint),
            Credential = AzureCredential.SharedKey(AzuriteServer.AccountKey),
        });
        await RemoteReplicaCheck.AssertMatchesProviderAsync(providerRoot, blobs.ToDictionary(b => b.Key[(prefix.Length + 1)..], b => b.Value),
            async key => RemoteReplicaCheck.Sha256((await rest.GetAsync(container, $"{prefix}/{key}"))!), replicaStore);
    }

    /// <summary>The Azurite account and endpoint plus one credential variable; the others are blanked.</summary>
    private Dictionary<string, string> CliEnvironment(string credentialVariable, string value)
    {
        var environment = new Dictionary<string, string>
        {
            [AzureAddress.AccountVariable] = AzuriteServer.Account,
            [AzureAddress.EndpointVariable] = azurite.Endpoint,
            [AzureAddress.AccountKeyVariable] = "",
            [AzureAddress.SasVariable] = "",
        };
        environment[credentialVariable] = value;
        return environment;
    }

}
