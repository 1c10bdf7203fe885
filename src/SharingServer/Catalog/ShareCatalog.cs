using ReplicaSync.Storage;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The shares, schemas and tables of a configuration, looked up case-insensitively as one recipient sees them: a
/// share not granted to the recipient answers exactly as an unknown one does (404), so nothing reveals it exists.
/// </summary>
internal sealed class ShareCatalog : IDisposable
{
    private readonly Dictionary<string, ShareEntry> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="openStore">Opens a table's store address (s3://, az://, gs://, ...); local directories are opened directly.</param>
    public ShareCatalog(SharingServerConfig config, Func<string, IObjectStore> openStore)
    {
        var shares = new List<ShareEntry>();
        foreach (var share in config.Shares)
        {
            var shareId = share.Id ?? ConfigValidator.DerivedId("share", share.Name);
            var schemas = share.Schemas.Select(schema => new SchemaEntry(
                schema.Name,
                share.Name,
                schema.Tables.Select(t => new SharedTable(share.Name, shareId, schema.Name, t, openStore)).ToList())).ToList();
            var entry = new ShareEntry(share.Name, shareId, schemas);
            shares.Add(entry);
            _byName[share.Name] = entry;
        }
        Shares = shares;
    }

    /// <summary>All shares in configuration order.</summary>
    public IReadOnlyList<ShareEntry> Shares { get; }

    /// <summary>Every table of every share.</summary>
    public IEnumerable<SharedTable> Tables => Shares.SelectMany(s => s.Schemas).SelectMany(s => s.Tables);

    /// <summary>The shares <paramref name="recipient"/> may see, in configuration order.</summary>
    public IReadOnlyList<ShareEntry> SharesOf(Recipient recipient) => Shares.Where(s => recipient.Sees(s.Name)).ToList();

    /// <summary>A share by name; <paramref name="recipient"/> null means unrestricted (a signed file URL is its own authorization).</summary>
    public ShareEntry Share(string name, Recipient? recipient) =>
        _byName.GetValueOrDefault(name) is { } share && (recipient is null || recipient.Sees(share.Name))
            ? share
            : throw SharingException.NotFound($"share '{name}' does not exist");

    public SchemaEntry Schema(string share, string schema, Recipient? recipient) =>
        Share(share, recipient).Schemas.FirstOrDefault(s => s.Name.Equals(schema, StringComparison.OrdinalIgnoreCase))
        ?? throw SharingException.NotFound($"schema '{share}.{schema}' does not exist");

    public SharedTable Table(string share, string schema, string table, Recipient? recipient) =>
        Schema(share, schema, recipient).Tables.FirstOrDefault(t => t.Name.Equals(table, StringComparison.OrdinalIgnoreCase))
        ?? throw SharingException.NotFound($"table '{share}.{schema}.{table}' does not exist");

    public void Dispose()
    {
        foreach (var table in Tables)
            (table.Store as IDisposable)?.Dispose();
    }
}

/// <summary>A share with its canonical name and stable id.</summary>
internal sealed record ShareEntry(string Name, string Id, IReadOnlyList<SchemaEntry> Schemas);

/// <summary>A schema with its canonical name.</summary>
internal sealed record SchemaEntry(string Name, string Share, IReadOnlyList<SharedTable> Tables);
