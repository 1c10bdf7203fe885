using System.Diagnostics;

namespace ReplicaSync.TestSupport;

/// <summary>
/// Azurite's Blob service (tests/emulators, npm azurite 3.35.0) on 127.0.0.1, started as a child process on a free port
/// for a test collection and killed on dispose. Each test makes its own container. Without the npm packages the tests
/// fail with a message saying how to install them, never skip.
/// <para>What Azurite 3.35.0 does, as found while writing these tests:</para>
/// <list type="bullet">
/// <item>It verifies SharedKey signatures and SAS signatures for real: a wrong key or a tampered SAS gets
/// 403 <c>AuthorizationFailure</c> (Azure itself says <c>AuthenticationFailed</c>).</item>
/// <item>Put Blob with <c>If-None-Match: *</c> on an existing blob gives 409 <c>BlobAlreadyExists</c>; the check and
/// insert happen without yielding, so concurrent conditional puts race for real (one wins).</item>
/// <item>Put Block From URL and Put Blob From URL are not implemented: 501 <c>APINotImplemented</c>.</item>
/// <item>Bearer tokens need Azurite started with https and <c>--oauth basic</c>; over http it answers 403, so bearer
/// auth is tested on the request we send.</item>
/// <item>A range starting exactly at the blob's end answers 206 with an empty body (Azure answers 416); one starting
/// past the end answers 416 <c>InvalidRange</c>, as Azure does. The store reads both as empty.</item>
/// <item>Listing, paging with markers, ranged reads, blocks and block lists behave as on Azure.</item>
/// </list>
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    public const string Account = "devstoreaccount1";

    /// <summary>Azurite's published development key; recognisable in leak checks.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);
    private ChildServer? _server;
    private TempDirectory? _location;

    /// <summary>Scheme, host and port, e.g. <c>http://127.0.0.1:41234</c> (what REPLICASYNC_AZURE_ENDPOINT takes).</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The account's Blob service URL, path-style: <c>{Endpoint}/devstoreaccount1</c>.</summary>
    public string ServiceUrl => $"{Endpoint}/{Account}";

    public async Task InitializeAsync()
    {
        var script = Path.Combine(TestPaths.RepoRoot, "tests", "emulators", "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(script))
            throw new InvalidOperationException($"{script} is missing: run `npm ci --prefix tests/emulators` in {TestPaths.RepoRoot} first");
        var port = FreePort.Next();
        Endpoint = $"http://127.0.0.1:{port}";
        _location = new TempDirectory("azurite");
        var start = new ProcessStartInfo(ChildServer.Require("node", "the Azure tests run Azurite with it"));
        // --disableTelemetry: otherwise Azurite tries to reach applicationinsights.azure.com.
        foreach (var argument in new[]
                 {
                     script, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", _location.Path,
                     "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
                 })
            start.ArgumentList.Add(argument);
        // Unauthenticated, so any answer (403) means it is up.
        _server = await ChildServer.StartAsync("azurite-blob", start, async http =>
        {
            using var response = await http.GetAsync($"{ServiceUrl}?comp=list");
            return true;
        }, StartupLimit);
    }

    /// <summary>A signed REST client for the dev account, independent of the store under test.</summary>
    public AzureRest Rest() => new(ServiceUrl, Account, AccountKey);

    /// <summary>Creates a fresh, empty container with a unique name.</summary>
    public async Task<string> CreateContainerAsync()
    {
        var container = $"test-{Guid.NewGuid():N}";
        using var rest = Rest();
        await rest.CreateContainerAsync(container);
        return container;
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        _location?.Dispose();
        return Task.CompletedTask;
    }
}
