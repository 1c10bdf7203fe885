using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReplicaSync.TestSupport;

/// <summary>
/// Google's OAuth2 token endpoint in miniature, on 127.0.0.1: it grants <see cref="AccessToken"/> for any signed
/// service-account assertion, or rejects every one with <c>invalid_grant</c>. It writes service-account key files
/// (with a freshly generated RSA key) whose <c>token_uri</c> points at it, so Google.Apis.Auth runs its real flow.
/// </summary>
public sealed class FakeGoogleTokenServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _grants;

    private FakeGoogleTokenServer(WebApplication app, bool reject)
    {
        _app = app;
        AccessToken = $"ya29.fake-token-{Guid.NewGuid():N}";
        app.MapPost("/token", (HttpContext context) =>
        {
            if (reject)
                return Results.Json(new { error = "invalid_grant", error_description = "Invalid JWT Signature." }, statusCode: 400);
            Interlocked.Increment(ref _grants);
            return Results.Json(new { access_token = AccessToken, token_type = "Bearer", expires_in = 3600 });
        });
    }

    /// <summary>The token granted; tests look for it in headers and make sure no output shows it.</summary>
    public string AccessToken { get; }

    /// <summary>How many tokens were granted so far.</summary>
    public int Grants => Volatile.Read(ref _grants);

    public string TokenUri => _app.Urls.First().TrimEnd('/') + "/token";

    public static async Task<FakeGoogleTokenServer> StartAsync(bool reject = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeGoogleTokenServer(builder.Build(), reject);
        await server._app.StartAsync();
        return server;
    }

    /// <summary>Writes a service-account key file for this endpoint and returns its path and the private key's PEM.</summary>
    public (string Path, string PrivateKeyPem) WriteKeyFile(string directory)
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        var path = System.IO.Path.Combine(directory, $"key-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "demo-test",
            ["private_key_id"] = Guid.NewGuid().ToString("N"),
            ["private_key"] = pem,
            ["client_email"] = "replicasync-test@demo-test.iam.gserviceaccount.com",
            ["client_id"] = "1234567890",
            ["token_uri"] = TokenUri,
        }));
        return (path, pem);
    }

    /// <summary>The base64 body of a PEM, which is what a leak would show.</summary>
    public static string SecretPart(string pem) =>
        string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))).Trim()[..40];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
