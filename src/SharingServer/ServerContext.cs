using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReplicaSync.SharingServer;

/// <summary>What every endpoint of one running server shares: configuration, catalog, signing keys, faults, logger.</summary>
internal sealed class ServerContext
{
    public ServerContext(SharingServerConfig config, ILogger logger)
    {
        Config = config;
        Logger = logger;
        Prefix = config.NormalizedPrefix;
        Catalog = new ShareCatalog(config);
        Signer = new Signer(config.SigningKey);
        Tokens = new QueryTokens(Signer, config);
        Faults = new FaultState(config.Faults);
        IssuedTokens = new IssuedTokens(TimeProvider.System);
    }

    public SharingServerConfig Config { get; }
    public ILogger Logger { get; }
    /// <summary>The path prefix with a leading '/' and no trailing one ("" for the root).</summary>
    public string Prefix { get; }
    public ShareCatalog Catalog { get; }
    public Signer Signer { get; }
    public QueryTokens Tokens { get; }
    public FaultState Faults { get; }
    /// <summary>Bearer tokens issued by the OAuth token endpoint.</summary>
    public IssuedTokens IssuedTokens { get; }

    /// <summary>
    /// A URL signer for one response. URLs use the scheme and host the client used to reach the server, so they
    /// work through whatever address the client has.
    /// </summary>
    public FileUrlSigner UrlSigner(HttpRequest request, SharedTable table) => new(
        Signer, table, $"{request.Scheme}://{request.Host}{Prefix}",
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + Config.UrlLifetimeSeconds * 1000L);

    /// <summary>The table named by the route values share/schema/table (404 when unknown).</summary>
    public SharedTable RouteTable(HttpRequest request) => Catalog.Table(
        (string)request.RouteValues["share"]!, (string)request.RouteValues["schema"]!, (string)request.RouteValues["table"]!);
}
