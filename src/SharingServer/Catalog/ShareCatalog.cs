namespace ReplicaSync.SharingServer;

/// <summary>The shares, schemas and tables of a configuration, looked up case-insensitively; unknown names are 404s.</summary>
internal sealed class ShareCatalog
{
    private readonly Dictionary<string, ShareEntry> _byName = new(StringComparer.OrdinalIgnoreCase);

    public ShareCatalog(SharingServerConfig config)
    {
        var shares = new List<ShareEntry>();
        foreach (var share in config.Shares)
        {
            var shareId = share.Id ?? ConfigValidator.DerivedId("share", share.Name);
            var schemas = share.Schemas.Select(schema => new SchemaEntry(
                schema.Name,
                share.Name,
                schema.Tables.Select(t => new SharedTable(share.Name, shareId, schema.Name, t)).ToList())).ToList();
            var entry = new ShareEntry(share.Name, shareId, schemas);
            shares.Add(entry);
            _byName[share.Name] = entry;
        }
        Shares = shares;
    }

    /// <summary>All shares in configuration order.</summary>
    public IReadOnlyList<ShareEntry> Shares { get; }

    public ShareEntry Share(string name) =>
        _byName.GetValueOrDefault(name) ?? throw SharingException.NotFound($"share '{name}' does not exist");

    public SchemaEntry Schema(string share, string schema) =>
        Share(share).Schemas.FirstOrDefault(s => s.Name.Equals(schema, StringComparison.OrdinalIgnoreCase))
        ?? throw SharingException.NotFound($"schema '{share}.{schema}' does not exist");

    public SharedTable Table(string share, string schema, string table) =>
        Schema(share, schema).Tables.FirstOrDefault(t => t.Name.Equals(table, StringComparison.OrdinalIgnoreCase))
        ?? throw SharingException.NotFound($"table '{share}.{schema}.{table}' does not exist");
}

/// <summary>A share with its canonical name and stable id.</summary>
internal sealed record ShareEntry(string Name, string Id, IReadOnlyList<SchemaEntry> Schemas);

/// <summary>A schema with its canonical name.</summary>
internal sealed record SchemaEntry(string Name, string Share, IReadOnlyList<SharedTable> Tables);
