using System.Text.Json.Serialization;

namespace ReplicaSync.SharingServer;

/// <summary>
/// One injected fault: either answer matching requests with <see cref="Status"/> and a JSON error body, or
/// (file requests only) send <see cref="TruncateAfterBytes"/> bytes and then abort the connection.
/// </summary>
public sealed class FaultRule
{
    public FaultMatch Match { get; set; } = FaultMatch.Any;
    public int? Status { get; set; }
    /// <summary>How many matching requests the rule applies to; null means every one.</summary>
    public int? Times { get; set; }
    public long? TruncateAfterBytes { get; set; }
}

/// <summary>Which requests a <see cref="FaultRule"/> applies to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultMatch>))]
public enum FaultMatch
{
    [JsonStringEnumMemberName("any")] Any,
    [JsonStringEnumMemberName("list")] List,
    [JsonStringEnumMemberName("version")] Version,
    [JsonStringEnumMemberName("metadata")] Metadata,
    [JsonStringEnumMemberName("query")] Query,
    [JsonStringEnumMemberName("file")] File,
}
