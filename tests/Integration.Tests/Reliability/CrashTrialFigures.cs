namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>What a crash trial counted: kills that landed while the process ran, replicas found invalid after a kill, versions lost, chains.</summary>
internal sealed record CrashTrialFigures
{
    public required string Store { get; init; }
    public required int Seed { get; init; }
    public required int ProviderVersions { get; init; }
    public int SyncKills { get; set; }
    public int DaemonKills { get; set; }
    public int Kills => SyncKills + DaemonKills;
    /// <summary>Checks (after a kill, or at a chain's end) that found any problem.</summary>
    public int InvalidReplicas { get; set; }
    public long LostVersions { get; set; }
    public int Chains { get; set; }
    public int ChainsConverged { get; set; }
    /// <summary>Replica versions checked against the provider's, summed over every check.</summary>
    public long VersionsChecked { get; set; }
    public TimeSpan Elapsed { get; set; }
    public List<string> Problems { get; } = [];

    public override string ToString() =>
        $"store {Store}, seed {Seed}: {Kills} kills ({SyncKills} of sync, {DaemonKills} of the daemon), {InvalidReplicas} invalid replicas, " +
        $"{LostVersions} versions lost, {ChainsConverged} of {Chains} chains converged, {VersionsChecked} replica versions checked " +
        $"against a provider of {ProviderVersions} versions, in {Elapsed.TotalMinutes:0.0} min";
}
