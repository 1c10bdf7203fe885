using ReplicaSync.Delta;
using ReplicaSync.Sharing;

namespace ReplicaSync.Sync;

/// <summary>What replica commit <see cref="Version"/> will hold and which provider files must be copied first.</summary>
public sealed class VersionPlan(long version, long timestamp)
{
    public long Version { get; } = version;
    public long Timestamp { get; } = timestamp;
    public Protocol? Protocol { get; set; }
    public Metadata? Metadata { get; set; }
    public List<PlannedFile> Adds { get; } = [];
    public List<RemoveFile> Removes { get; } = [];
    /// <summary>Change data files to copy and commit as <c>cdc</c> actions (not live files).</summary>
    public List<PlannedChangeFile> ChangeFiles { get; } = [];
    /// <summary>True when the provider refused the change data of a version that records it; the commit then has none.</summary>
    public bool ChangeDataRefused { get; set; }
    /// <summary>True when the plan was rebuilt from a snapshot of the provider because the feed drifted.</summary>
    public bool Reconciled { get; set; }
    /// <summary>
    /// Set for a snapshot step: the replica version this plan diffs against, when the provider shared none of the
    /// versions between it and <see cref="Version"/> (a table shared without history).
    /// </summary>
    public long? StepFrom { get; init; }
}

/// <summary>A provider file to copy to <see cref="Key"/> (and its deletion vector file, if any) and the add action to commit.</summary>
public sealed record PlannedFile(FileLine Source, string Key, AddFile Action, PlannedDeletionVector? DeletionVector);

/// <summary>A provider change data file to copy to <see cref="Key"/>, the cdc action to commit and the call that re-signs its URL.</summary>
public sealed record PlannedChangeFile(FileLine Source, string Key, CdcFile Action, Copy.UrlQuery Urls);

/// <summary>A deletion vector file to copy from <see cref="Url"/> to the table-relative <see cref="Key"/>.</summary>
public sealed record PlannedDeletionVector(string Url, string Key);
