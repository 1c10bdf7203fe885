using System.Text.Json.Serialization;

namespace ReplicaSync.Delta;

/// <summary>Where a file's deletion vector lives: inline (<c>i</c>), relative UUID (<c>u</c>) or absolute path (<c>p</c>).</summary>
public sealed class DeletionVectorDescriptor : DeltaAction
{
    public string StorageType { get; set; } = "";
    public string PathOrInlineDv { get; set; } = "";
    public int? Offset { get; set; }
    public int SizeInBytes { get; set; }
    public long Cardinality { get; set; }

    /// <summary>A copy that can be rewritten (moved to another storage type) without changing this one.</summary>
    public DeletionVectorDescriptor Copy() => new()
    {
        StorageType = StorageType, PathOrInlineDv = PathOrInlineDv, Offset = Offset, SizeInBytes = SizeInBytes, Cardinality = Cardinality,
        Extra = CopyOfExtra(),
    };

    /// <summary>The DV id readers use in the file key: storage type + path, plus <c>@offset</c> when present.</summary>
    [JsonIgnore]
    public string UniqueId => Offset is { } o ? $"{StorageType}{PathOrInlineDv}@{o}" : StorageType + PathOrInlineDv;
}
