using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReplicaSync.Storage;

namespace ReplicaSync.SharingServer;

/// <summary>A running Delta Sharing server on Kestrel, serving the tables of a <see cref="SharingServerConfig"/>.</summary>
public sealed class SharingServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerContext _context;
    private bool _stopped;

    private SharingServerHost(WebApplication app, ServerContext context, Uri endpoint)
    {
        _app = app;
        _context = context;
        Endpoint = endpoint;
    }

    /// <summary>The server URL including the path prefix and the port actually bound, e.g. <c>http://127.0.0.1:43121/delta-sharing</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Fault injection and request counters (a test hook).</summary>
    public FaultState Faults => _context.Faults;

    /// <summary>The tokens the OAuth token endpoint issued (a test hook: count them, or make them all expire).</summary>
    public IssuedTokens IssuedTokens => _context.IssuedTokens;

    /// <summary>The OAuth token endpoint, e.g. <c>http://127.0.0.1:43121/delta-sharing/oauth/token</c>.</summary>
    public Uri TokenEndpoint => new(Endpoint.AbsoluteUri.TrimEnd('/') + "/oauth/token");

    /// <summary>
    /// Validates the configuration, binds <paramref name="urls"/> (port 0 picks a free port) and starts serving.
    /// The server works on a copy: changing <paramref name="config"/> afterwards has no effect. Audit lines (one per
    /// request) are logged at Information; an embedding program that draws its own output (the demo) raises
    /// <paramref name="minimumLogLevel"/>. <paramref name="logs"/> receives the server's logs instead of the console
    /// (an embedding daemon's own logging, a test's capture);
    /// <paramref name="openStore"/> opens tables' store addresses (default: <see cref="ObjectStores.Open"/>, with the
    /// sync's environment credentials). Throws <see cref="SharingConfigException"/> when a table's store cannot pre-sign URLs.
    /// </summary>
    public static async Task<SharingServerHost> StartAsync(SharingServerConfig config, string urls = "http://127.0.0.1:0", CancellationToken ct = default,
        LogLevel minimumLogLevel = LogLevel.Information, ILoggerProvider? logs = null, Func<string, IObjectStore>? openStore = null)
    {
        config.Validate();
        config = config.Copy();
        // The empty builder reads no appsettings or environment, so an embedding process cannot change the server by accident.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(urls);
        builder.Services.AddRoutingCore();
        if (logs is null)
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        else
            builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        // ASP.NET's own request logs include query strings, which hold URL signatures.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        var app = builder.Build();
        ServerContext? context = null;
        try
        {
            context = new ServerContext(config, app.Services.GetRequiredService<ILoggerFactory>(), openStore ?? ObjectStores.Open);
            await context.CheckSigningAsync(ct);
            var pipeline = new RequestPipeline(context);
            app.UseRouting();
            app.Use(pipeline.InvokeAsync);
            SharingRoutes.Map(app, context);
            await app.StartAsync(ct);

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new SharingServerHost(app, context, new Uri(ReachableAddress(address) + context.Prefix));
        }
        catch
        {
            // E.g. the port is taken: release what the builder created.
            context?.Dispose();
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes a <c>shareCredentialsVersion</c> 1 profile for this server (owner-only permissions where supported)
    /// and returns its full path. Uses the first configured bearer token unless one is given (a recipient's token).
    /// </summary>
    public string WriteProfile(string path, string? token = null) => WriteProfile(path, new Dictionary<string, object>
    {
        ["shareCredentialsVersion"] = 1,
        ["endpoint"] = Endpoint.ToString(),
        ["bearerToken"] = token ?? _context.Config.BearerTokens.FirstOrDefault()
            ?? throw new InvalidOperationException("no bearerTokens are configured: give the recipient's token"),
    });

    /// <summary>Writes a version 2 <c>oauth_client_credentials</c> profile for this server's token endpoint and returns its full path.</summary>
    public string WriteOAuthProfile(string path, string clientId, string clientSecret) => WriteProfile(path, new Dictionary<string, object>
    {
        ["shareCredentialsVersion"] = 2,
        ["type"] = "oauth_client_credentials",
        ["endpoint"] = Endpoint.ToString(),
        ["tokenEndpoint"] = TokenEndpoint.ToString(),
        ["clientId"] = clientId,
        ["clientSecret"] = clientSecret,
    });

    private static string WriteProfile(string path, Dictionary<string, object> profile)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(full, options))
            JsonSerializer.Serialize(stream, profile, SharingServerJsonContext.Default.DictionaryStringObject);
        return full;
    }

    public async Task StopAsync(CancellationToken ct = default)
    {
        if (_stopped)
            return;
        _stopped = true;
        await _app.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        _context.Dispose();
    }

    // A wildcard bind address is not something a client can connect to.
    private static string ReachableAddress(string address)
    {
        var uri = new Uri(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return new UriBuilder(uri) { Host = host }.Uri.GetLeftPart(UriPartial.Authority);
    }
}
