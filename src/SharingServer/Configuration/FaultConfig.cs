namespace ReplicaSync.SharingServer;

/// <summary>Faults to inject from the start (a test hook); off when absent.</summary>
public sealed class FaultConfig
{
    public List<FaultRule> Rules { get; set; } = [];
    /// <summary>Seed of the random draws of rules with a <see cref="FaultRule.Probability"/>, so a faulty run can be repeated.</summary>
    public int Seed { get; set; }
    /// <summary>
    /// File URLs stop working this many seconds after they were issued (403, as an expired URL), although the query
    /// announced the configured lifetime: the client must notice the refusal and re-issue them. Null: off.
    /// </summary>
    public int? UrlExpirySeconds { get; set; }
}
