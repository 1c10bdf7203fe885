using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReplicaSync.Delta;

/// <summary>One line of a Delta commit. Fields this code does not model are kept in <see cref="Extra"/>.</summary>
public abstract class DeltaAction
{
    /// <summary>Fields of the action that are not modelled; written back unchanged when the action is mirrored.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>A map of its own with the same unmodelled fields (a <see cref="JsonElement"/> is immutable).</summary>
    protected Dictionary<string, JsonElement>? CopyOfExtra() => Extra is null ? null : new(Extra);
}
