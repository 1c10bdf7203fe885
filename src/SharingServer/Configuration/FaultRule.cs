using System.Text.Json.Serialization;

namespace ReplicaSync.SharingServer;

/// <summary>
/// One injected fault, exactly one of: answer matching requests with <see cref="Status"/> and a JSON error body;
/// <see cref="ResetConnection"/>: drop the connection without an answer;
/// (file requests only) send <see cref="TruncateAfterBytes"/> bytes and then reset the connection; send
/// <see cref="EndBodyAfterBytes"/> bytes without a length and end the response normally (a silently short body);
/// wait <see cref="DelayMilliseconds"/> before answering; or (file requests only) <see cref="IgnoreRange"/>: answer
/// 200 with the whole file, as a server without Range support does.
/// </summary>
public sealed class FaultRule
{
    public FaultMatch Match { get; set; } = FaultMatch.Any;
    public int? Status { get; set; }
    /// <summary>How many matching requests the rule applies to; null means every one.</summary>
    public int? Times { get; set; }
    public long? TruncateAfterBytes { get; set; }
    public long? EndBodyAfterBytes { get; set; }
    public int? DelayMilliseconds { get; set; }
    public bool? IgnoreRange { get; set; }
    /// <summary>Applies to one matching request in every <see cref="Every"/> (the 1st, the Every+1-th…): intermittent faults.</summary>
    public int? Every { get; set; }
    /// <summary>Drop the connection of a matching request before answering it (the client sees a reset).</summary>
    public bool? ResetConnection { get; set; }
    /// <summary>Applies to a matching request with this probability (0 &lt; p ≤ 1), drawn from <see cref="FaultConfig.Seed"/>: random faults.</summary>
    public double? Probability { get; set; }
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
    [JsonStringEnumMemberName("changes")] Changes,
    [JsonStringEnumMemberName("token")] Token,
}
