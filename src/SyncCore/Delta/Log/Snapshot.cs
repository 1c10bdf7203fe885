namespace ReplicaSync.Delta;

/// <summary>
/// The state of a table at one version: protocol, metadata, live files keyed by (path, DV id), tombstones,
/// app transactions and domains. Built by applying commits in order; the sync engine keeps one and applies
/// each new version to it instead of replaying the log again.
/// </summary>
public sealed class Snapshot
{
    private readonly Dictionary<FileKey, AddFile> _files = [];
    private readonly Dictionary<FileKey, RemoveFile> _tombstones = [];
    private readonly Dictionary<string, SetTransaction> _transactions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DomainMetadata> _domains = new(StringComparer.Ordinal);

    /// <summary>The version this snapshot is at; -1 before any commit was applied.</summary>
    public long Version { get; private set; } = -1;
    /// <summary>Commit time (ms) of <see cref="Version"/>.</summary>
    public long Timestamp { get; private set; }
    public Protocol? Protocol { get; private set; }
    public Metadata? Metadata { get; private set; }
    public IReadOnlyDictionary<FileKey, AddFile> Files => _files;
    public IReadOnlyDictionary<FileKey, RemoveFile> Tombstones => _tombstones;
    public IReadOnlyDictionary<string, SetTransaction> Transactions => _transactions;
    /// <summary>Domains that are not removed.</summary>
    public IReadOnlyDictionary<string, DomainMetadata> Domains => _domains;

    /// <summary>Total bytes of the live files.</summary>
    public long SizeInBytes { get; private set; }

    /// <summary>Applies commit <paramref name="commit"/>, which must be the next version.</summary>
    public void Apply(Commit commit)
    {
        if (Version >= 0 && commit.Version != Version + 1)
            throw new DeltaFormatException($"commit {commit.Version} does not follow version {Version}: the log has a gap");
        foreach (var action in commit.Actions)
            Apply(action);
        if (commit.Version == 0 || Version < 0)
        {
            if (Protocol is null || Metadata is null)
                throw new DeltaFormatException($"commit {commit.Version} is the first of the table but lacks protocol or metaData");
        }
        Version = commit.Version;
        Timestamp = commit.Timestamp;
    }

    private void Apply(DeltaAction action)
    {
        switch (action)
        {
            case AddFile add:
                var key = add.Key;
                if (_files.Remove(key, out var replaced))
                    SizeInBytes -= replaced.Size;
                _files[key] = add;
                SizeInBytes += add.Size;
                _tombstones.Remove(key);
                break;
            case RemoveFile remove:
                if (_files.Remove(remove.Key, out var removed))
                    SizeInBytes -= removed.Size;
                _tombstones[remove.Key] = remove;
                break;
            case Protocol protocol:
                Protocol = protocol;
                break;
            case Metadata metadata:
                Metadata = metadata;
                break;
            case SetTransaction txn:
                _transactions[txn.AppId] = txn;
                break;
            case DomainMetadata domain when domain.Removed:
                _domains.Remove(domain.Domain);
                break;
            case DomainMetadata domain:
                _domains[domain.Domain] = domain;
                break;
        }
    }
}
