using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReplicaSync.Storage;

namespace ReplicaSync.SharingServer;

/// <summary>What every endpoint of one running server shares: configuration, recipients, catalog, signing keys, faults, loggers.</summary>
internal sealed class ServerContext : IDisposable
{
    public ServerContext(SharingServerConfig config, ILoggerFactory logs, Func<string, IObjectStore> openStore)
    {
        Config = config;
        Logger = logs.CreateLogger("ReplicaSync.SharingServer");
        AuditLogger = logs.CreateLogger(AuditLine.Category);
        Prefix = config.NormalizedPrefix;
        Recipients = new RecipientRegistry(config, TimeProvider.System);
        Catalog = new ShareCatalog(config, openStore);
        Signer = new Signer(config.SigningKey);
        Tokens = new QueryTokens(Signer, config);
        Faults = new FaultState(config.Faults);
        IssuedTokens = new IssuedTokens(TimeProvider.System);
    }

    public SharingServerConfig Config { get; }
    public ILogger Logger { get; }
    /// <summary>One line per request; see <see cref="AuditLine"/>.</summary>
    public ILogger AuditLogger { get; }
    /// <summary>The path prefix with a leading '/' and no trailing one ("" for the root).</summary>
    public string Prefix { get; }
    public RecipientRegistry Recipients { get; }
    public ShareCatalog Catalog { get; }
    public Signer Signer { get; }
    public QueryTokens Tokens { get; }
    public FaultState Faults { get; }
    /// <summary>Bearer tokens issued by the OAuth token endpoint.</summary>
    public IssuedTokens IssuedTokens { get; }

    /// <summary>
    /// A URL signer for one response: the store's pre-signing for a table in an object store, else this server's
    /// signed file endpoint, addressed with the scheme and host the client used to reach the server.
    /// </summary>
    public async Task<FileUrlSigner> UrlSignerAsync(HttpContext http, SharedTable table)
    {
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(Config.UrlLifetimeSeconds);
        var storeSigner = table.Store is IPresignedReads presigned ? await presigned.ReadUrlSignerAsync(expiresAt, http.RequestAborted) : null;
        return new FileUrlSigner(Signer, table, $"{http.Request.Scheme}://{http.Request.Host}{Prefix}", expiresAt.ToUnixTimeMilliseconds(),
            storeSigner, RequestAudit.Of(http));
    }

    /// <summary>The table named by the route values share/schema/table, as the request's recipient sees it (404 when unknown or not granted).</summary>
    public SharedTable RouteTable(HttpRequest request) => Catalog.Table(
        (string)request.RouteValues["share"]!, (string)request.RouteValues["schema"]!, (string)request.RouteValues["table"]!,
        RequestAudit.Of(request.HttpContext).Recipient);

    /// <summary>
    /// Fails at start-up, naming the table, when a table's store cannot pre-sign URLs with its credential (an Azure SAS
    /// token, GCS without a service account), rather than on the first query.
    /// </summary>
    public async Task CheckSigningAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var table in Catalog.Tables)
        {
            if (table.Store is not IPresignedReads presigned)
                continue;
            try
            {
                await presigned.ReadUrlSignerAsync(DateTimeOffset.UtcNow.AddSeconds(Config.UrlLifetimeSeconds), ct);
            }
            catch (NotSupportedException e)
            {
                problems.Add($"table {table.Share}.{table.Schema}.{table.Name} ({table.Store.Location}) cannot be re-shared: {e.Message}");
            }
        }
        if (problems.Count > 0)
            throw new SharingConfigException(problems);
    }

    public void Dispose() => Catalog.Dispose();
}
