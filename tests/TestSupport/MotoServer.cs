using System.Diagnostics;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace ReplicaSync.TestSupport;

/// <summary>
/// A <c>moto_server</c> S3 emulator on 127.0.0.1, started as a child process on a free port for a test collection
/// and killed on dispose. Without moto_server on PATH the tests fail with a message saying so, never skip.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    /// <summary>moto accepts any credentials (it does not verify signatures); these are recognisable in leak checks.</summary>
    public const string AccessKey = "AKIAMOTOTESTKEY";
    public const string SecretKey = "moto-secret-must-never-leak";
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(30);
    private readonly bool _checkCredentials;
    private ChildServer? _server;

    public MotoServer()
    {
    }

    private MotoServer(bool checkCredentials) => _checkCredentials = checkCredentials;

    /// <summary>
    /// A moto that checks access keys (<c>INITIAL_NO_AUTH_ACTION_COUNT=0</c>) and knows none, so every request gets
    /// 403 InvalidAccessKeyId as AWS gives an unknown key. It still verifies no signatures. Call InitializeAsync.
    /// </summary>
    public static MotoServer CheckingCredentials() => new(checkCredentials: true);

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var executable = ChildServer.Require("moto_server", "the S3 tests need it (pip install 'moto[server]')");
        var port = FreePort.Next();
        Endpoint = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo(executable, ["-H", "127.0.0.1", "-p", port.ToString()]);
        if (_checkCredentials)
            start.Environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "0";
        _server = await ChildServer.StartAsync("moto_server", start, async http =>
        {
            using var response = await http.GetAsync(Endpoint + "/");
            // A credential-checking moto fails the unauthenticated probe (500), but it answered.
            return response.StatusCode == HttpStatusCode.OK || _checkCredentials;
        }, StartupLimit);
    }

    /// <summary>A plain SDK client for the emulator, independent of the store under test.</summary>
    public AmazonS3Client CreateClient() => new(new BasicAWSCredentials(AccessKey, SecretKey), ClientConfig());

    /// <summary>The SDK settings an emulator needs: its endpoint, path-style URLs and a fixed signing region.</summary>
    public AmazonS3Config ClientConfig() => new() { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" };

    /// <summary>The environment that points <c>replicasync</c> at this emulator (or at <paramref name="endpoint"/>, a proxy in front of it).</summary>
    public Dictionary<string, string> CliEnvironment(string? endpoint = null) => new()
    {
        [ReplicaSync.Storage.S3.S3Address.EndpointVariable] = endpoint ?? Endpoint,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = "us-east-1",
    };

    /// <summary>Options of an in-process store on this emulator.</summary>
    public ReplicaSync.Storage.S3.S3StoreOptions StoreOptions(string bucket, string prefix) => new()
    {
        Bucket = bucket, Prefix = prefix, ServiceUrl = Endpoint, ForcePathStyle = true,
        Credentials = new BasicAWSCredentials(AccessKey, SecretKey),
    };

    /// <summary>Creates a fresh, empty bucket with a unique name.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var bucket = $"test-{Guid.NewGuid():N}";
        using var client = CreateClient();
        await client.PutBucketAsync(bucket);
        return bucket;
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}
