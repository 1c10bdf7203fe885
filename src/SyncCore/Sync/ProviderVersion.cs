using ReplicaSync.Delta;
using ReplicaSync.Sharing;

namespace ReplicaSync.Sync;

/// <summary>What the provider's change feed shows for one version: metadata/protocol changes and data-changing file actions.</summary>
public sealed class ProviderVersion(long version)
{
    public long Version { get; } = version;
    /// <summary>Commit time in ms, when any line of this version carried it.</summary>
    public long? Timestamp { get; set; }
    public Protocol? Protocol { get; set; }
    public MetadataLine? Metadata { get; set; }
    public List<FileLine> Adds { get; } = [];
    public List<FileLine> Removes { get; } = [];
    /// <summary>The version's change data files (<c>cdc</c>), from the change data feed, with the call that signed them.</summary>
    public List<FileLine> ChangeFiles { get; } = [];
    public Copy.UrlQuery? ChangeUrls { get; set; }
    /// <summary>True when the table records change data at this version but the provider refused to return it.</summary>
    public bool ChangeDataRefused { get; set; }

    /// <summary>True when the feed showed nothing for this version (a hidden rewrite, a property change…).</summary>
    public bool IsEmpty => Protocol is null && Metadata is null && Adds.Count == 0 && Removes.Count == 0;
}
