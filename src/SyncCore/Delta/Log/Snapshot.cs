namespace ReplicaSync.Delta;

/// <summary>
/// The state of a table at one version: protocol, metadata, live files keyed by (path, DV id), tombstones,
/// app transactions and domains. Built by applying commits in order; the sync engine keeps one and applies
/// each new version to it instead of replaying the log again. Live files are kept slim (<see cref="LiveFile"/>)
/// and tombstones without stats and tags; the full adds are re-read from the log when needed.
/// </summary>
public sealed class Snapshot
{
    private readonly LiveFiles _files;
    private readonly Dictionary<FileKey, RemoveFile> _tombstones;
    private readonly Dictionary<string, SetTransaction> _transactions;
    private readonly Dictionary<string, DomainMetadata> _domains;
    private readonly PartitionValuesPool _partitionValues;

    /// <summary>An empty table, before version 0.</summary>
    public Snapshot()
    {
        _partitionValues = new();
        _files = new(_partitionValues);
        _tombstones = [];
        _transactions = new(StringComparer.Ordinal);
        _domains = new(StringComparer.Ordinal);
    }

    // The actions themselves are shared: a snapshot never changes one, it replaces it.
    private Snapshot(Snapshot source)
    {
        _partitionValues = source._partitionValues.Clone();
        _files = new(source._files, _partitionValues);
        _tombstones = new(source._tombstones);
        _transactions = new(source._transactions, StringComparer.Ordinal);
        _domains = new(source._domains, StringComparer.Ordinal);
        Version = source.Version;
        Timestamp = source.Timestamp;
        Protocol = source.Protocol;
        Metadata = source.Metadata;
        SizeInBytes = source.SizeInBytes;
    }

    /// <summary>A copy that commits can be applied to without changing this snapshot.</summary>
    public Snapshot Clone() => new(this);

    /// <summary>The version this snapshot is at; -1 before any commit was applied.</summary>
    public long Version { get; private set; } = -1;
    /// <summary>Commit time (ms) of <see cref="Version"/>.</summary>
    public long Timestamp { get; private set; }
    public Protocol? Protocol { get; private set; }
    public Metadata? Metadata { get; private set; }
    public LiveFiles Files => _files;
    public IReadOnlyDictionary<FileKey, RemoveFile> Tombstones => _tombstones;
    public IReadOnlyDictionary<string, SetTransaction> Transactions => _transactions;
    /// <summary>Domains that are not removed.</summary>
    public IReadOnlyDictionary<string, DomainMetadata> Domains => _domains;

    /// <summary>Total bytes of the live files.</summary>
    public long SizeInBytes { get; private set; }

    /// <summary>
    /// Replay from newest to oldest (as delta-kernel does): the first action seen for a file key decides its fate, so
    /// files removed later are never inserted as live. Commits must be fed newest first, then the checkpoint's
    /// actions, which are already reconciled. A key has been seen exactly when it is live or a tombstone, so those
    /// two maps are the seen set (a separate one would hold every key again during a JSON-only replay).
    /// </summary>
    internal sealed class ReverseBuilder(long version)
    {
        private readonly Snapshot _snapshot = new() { Version = version };
        private readonly HashSet<string> _seenDomains = new(StringComparer.Ordinal);

        /// <summary>Commit time (ms) of the snapshot's version.</summary>
        public long Timestamp { set => _snapshot.Timestamp = value; }


        public Snapshot Build(string location)
        {
            if (_snapshot.Protocol is null || _snapshot.Metadata is null)
                throw new DeltaFormatException($"{location}: no protocol or metaData found up to version {_snapshot.Version}");
            return _snapshot;
        }

        /// <summary>The next action: of a commit (newest commit first, each in its own order), then of the checkpoint.</summary>
        public void Add(DeltaAction action)
        {
            var s = _snapshot;
            switch (action)
            {
                case AddFile add:
                    if (!s._tombstones.ContainsKey(add.Key) && s._files.TryAdd(add))
                        s.SizeInBytes += add.Size;
                    break;
                case RemoveFile remove when !s._tombstones.ContainsKey(remove.Key) && !s._files.ContainsKey(remove.Key):
                    s._tombstones[remove.Key] = s.Tombstone(remove);
                    break;
                case Protocol protocol when s.Protocol is null:
                    s.Protocol = protocol;
                    break;
                case Metadata metadata when s.Metadata is null:
                    s.Metadata = metadata;
                    break;
                case SetTransaction txn:
                    s._transactions.TryAdd(txn.AppId, txn);
                    break;
                case DomainMetadata domain when _seenDomains.Add(domain.Domain) && !domain.Removed:
                    s._domains[domain.Domain] = domain;
                    break;
            }
        }
    }

    /// <summary>Applies commit <paramref name="commit"/>, which must be the next version.</summary>
    public void Apply(Commit commit)
    {
        if (Version >= 0 && commit.Version != Version + 1)
            throw new DeltaFormatException($"commit {commit.Version} does not follow version {Version}: the log has a gap");
        ApplyActions(commit);
    }

    /// <summary>
    /// Applies commit <paramref name="commit"/> after a gap: a replica's snapshot step, whose actions are the difference
    /// from this version to the provider's, which shared none of the versions between.
    /// </summary>
    public void ApplyAfterGap(Commit commit)
    {
        if (commit.Version <= Version)
            throw new DeltaFormatException($"commit {commit.Version} does not come after version {Version}");
        ApplyActions(commit);
    }

    private void ApplyActions(Commit commit)
    {
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
                _files.Set(add, out var replaced);
                SizeInBytes += add.Size - replaced;
                _tombstones.Remove(add.Key);
                break;
            case RemoveFile remove:
                if (_files.Remove(remove.Key, out var removed))
                    SizeInBytes -= removed;
                _tombstones[remove.Key] = Tombstone(remove);
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

    // Checkpoints drop a tombstone's stats and tags anyway; a copy keeps the caller's action (a commit being served
    // or mirrored) intact.
    private RemoveFile Tombstone(RemoveFile remove)
    {
        var values = remove.PartitionValues is { } map ? _partitionValues.Intern(map) : null;
        if (remove.Stats is null && remove.Tags is null && ReferenceEquals(values, remove.PartitionValues))
            return remove;
        return new RemoveFile
        {
            Path = remove.Path, DeletionTimestamp = remove.DeletionTimestamp, DataChange = remove.DataChange,
            ExtendedFileMetadata = remove.ExtendedFileMetadata, PartitionValues = values, Size = remove.Size,
            DeletionVector = remove.DeletionVector, BaseRowId = remove.BaseRowId, DefaultRowCommitVersion = remove.DefaultRowCommitVersion,
            Extra = remove.Extra,
        };
    }
}
