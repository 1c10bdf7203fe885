using Microsoft.Extensions.Configuration;
using ReplicaSync.SharingServer;

namespace ReplicaSync.Daemon.Configuration;

/// <summary>Reads the <c>serve</c> section: listen address, recipients, and which replicas to expose as share.schema.table.</summary>
public sealed partial class SettingsReader
{
    private static readonly string[] ServeKeys =
        ["listen", "pathPrefix", "urlLifetimeSeconds", "signingKey", "maxRequestBodyBytes", "bearerTokens", "recipients", "tables"];
    private static readonly string[] RecipientKeys = ["name", "token", "tokenSha256", "expires", "shares"];

    private ServeSettings? Serve(IReadOnlyList<TableSettings> tables)
    {
        var section = config.GetSection("serve");
        if (!section.Exists())
            return null;
        const string prefix = "serve:";
        Unknown(section, prefix, ServeKeys);
        var server = new SharingServerConfig
        {
            PathPrefix = String(section, "pathPrefix") ?? "/delta-sharing",
            UrlLifetimeSeconds = (int)Number(section, "urlLifetimeSeconds", 3600, min: 1, max: SharingServerConfig.MaxUrlLifetimeSeconds, prefix),
            SigningKey = String(section, "signingKey"),
            MaxRequestBodyBytes = (long)Number(section, "maxRequestBodyBytes", 1 << 20, min: 1, prefix: prefix),
            BearerTokens = section.GetSection("bearerTokens").GetChildren().Select(c => c.Value ?? "").ToList(),
            Recipients = Recipients(section.GetSection("recipients")),
            Shares = ExposedShares(section.GetSection("tables"), tables),
        };
        try
        {
            server.Validate();
        }
        catch (SharingConfigException e)
        {
            // The server names problems by JSON path (recipients[0].token: ...); shown under serve: like every other key.
            foreach (var problem in e.Problems)
            {
                var split = problem.IndexOf(": ", StringComparison.Ordinal);
                Problem(prefix + problem[..split], problem[(split + 2)..]);
            }
        }
        return new ServeSettings { Listen = String(section, "listen") ?? "http://127.0.0.1:8081", Server = server };
    }

    private List<RecipientConfig> Recipients(IConfigurationSection section)
    {
        var recipients = new List<RecipientConfig>();
        foreach (var entry in section.GetChildren())
        {
            var prefix = $"serve:recipients:{entry.Key}:";
            Unknown(entry, prefix, RecipientKeys);
            DateTimeOffset? expires = null;
            if (String(entry, "expires") is { } text)
            {
                if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed))
                    expires = parsed;
                else
                    Problem(prefix + "expires", $"'{text}' is not an ISO-8601 time such as 2027-01-31T00:00:00Z");
            }
            recipients.Add(new RecipientConfig
            {
                Name = String(entry, "name") ?? "",
                Token = String(entry, "token"),
                TokenSha256 = String(entry, "tokenSha256"),
                Expires = expires,
                Shares = entry.GetSection("shares").GetChildren().Select(c => c.Value ?? "").ToList(),
            });
        }
        return recipients;
    }

    /// <summary>
    /// <c>tables: { "orders": "sales.eu.orders" }</c>: the replica of daemon table <c>orders</c> as <c>sales.eu.orders</c>.
    /// A local target the first run has not created yet is created empty; it answers "no Delta log" until then.
    /// </summary>
    private List<ShareConfig> ExposedShares(IConfigurationSection section, IReadOnlyList<TableSettings> tables)
    {
        var shares = new List<ShareConfig>();
        foreach (var entry in section.GetChildren())
        {
            var key = $"serve:tables:{entry.Key}";
            var replica = tables.FirstOrDefault(t => t.Name.Equals(entry.Key, StringComparison.OrdinalIgnoreCase));
            var parts = (entry.Value ?? "").Split('.');
            if (replica is null)
            {
                Problem(key, $"no table '{entry.Key}' is configured under tables");
                continue;
            }
            if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            {
                Problem(key, $"'{entry.Value}' is not share.schema.table");
                continue;
            }
            if (!replica.Target.Contains("://", StringComparison.Ordinal))
                Directory.CreateDirectory(replica.Target);
            var share = shares.FirstOrDefault(s => s.Name == parts[0]) ?? Add(shares, new ShareConfig { Name = parts[0] });
            var schema = share.Schemas.FirstOrDefault(s => s.Name == parts[1]) ?? Add(share.Schemas, new SchemaConfig { Name = parts[1] });
            schema.Tables.Add(new TableConfig { Name = parts[2], Location = replica.Target });
        }
        if (shares.Count == 0)
            Problem("serve:tables", "no replica is exposed (add tables:<daemon table name> = share.schema.table)");
        return shares;
    }

    private static T Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return item;
    }
}
