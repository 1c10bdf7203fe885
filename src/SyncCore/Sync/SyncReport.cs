namespace ReplicaSync.Sync;

/// <summary>What one replica version received: files added/removed, copied/reused, bytes, and whether it was reconciled.</summary>
public sealed record VersionReport(long Version, int FilesAdded, int FilesRemoved, long FilesCopied, long FilesReused,
    long BytesCopied, bool Reconciled, bool MetadataChanged)
{
    /// <summary>For a snapshot step (a table shared without history), the replica version it stepped from.</summary>
    public long? StepFrom { get; init; }
    /// <summary>Change data files (cdc actions) the version's commit carries.</summary>
    public int ChangeFiles { get; init; }
    /// <summary>True when the table records change data at this version but the provider refused it: the commit has none.</summary>
    public bool ChangeDataRefused { get; init; }
}

/// <summary>The outcome of a run: where the replica started and ended and what the provider was at.</summary>
public sealed record SyncReport(long StartVersion, long EndVersion, long TargetVersion, long ProviderVersion,
    IReadOnlyList<VersionReport> Versions)
{
    public bool Reached => EndVersion >= TargetVersion;
    /// <summary>How a new replica began ("full history from version 0", "snapshot at version V"); null when it existed.</summary>
    public string? Began { get; init; }
    /// <summary>Why the run stopped before the target version (the byte budget), or null when it did not.</summary>
    public string? StoppedBecause { get; init; }
    public long FilesCopied => Versions.Sum(v => v.FilesCopied);
    public long BytesCopied => Versions.Sum(v => v.BytesCopied);
}
