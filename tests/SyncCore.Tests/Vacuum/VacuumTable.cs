using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Vacuum;

namespace ReplicaSync.Tests.Vacuum;

/// <summary>Builds <see cref="TableFacts"/> commit by commit, with times relative to a fixed "now", for planner tests.</summary>
internal sealed class VacuumTable
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<Commit> _commits = [];

    public VacuumTable(Protocol? protocol = null, Dictionary<string, string?>? configuration = null, List<string>? partitionColumns = null)
    {
        Commit(
            protocol ?? new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 },
            new Metadata { Id = "t", SchemaString = "{}", PartitionColumns = partitionColumns ?? [], Configuration = configuration ?? [] });
    }

    public VacuumTable Commit(params DeltaAction[] actions) => CommitAt(TimeSpan.Zero, actions);

    /// <summary>A commit made <paramref name="ago"/> before now.</summary>
    public VacuumTable CommitAt(TimeSpan ago, params DeltaAction[] actions)
    {
        _commits.Add(new Commit(_commits.Count, (Now - ago).ToUnixTimeMilliseconds(), actions));
        return this;
    }

    public TableFacts Facts()
    {
        var snapshot = new Snapshot();
        foreach (var commit in _commits)
            snapshot.Apply(commit);
        return TableFacts.From(snapshot, _commits);
    }

    /// <summary>Plans with <paramref name="options"/> (defaults when null) over <paramref name="listing"/>.</summary>
    public VacuumPlan Plan(VacuumOptions? options, params ObjectInfo[] listing) =>
        VacuumPlanner.Plan(Facts(), listing, Now, options ?? new VacuumOptions());

    public static AddFile Add(string path, DeletionVectorDescriptor? dv = null) =>
        new() { Path = path, Size = 100, DataChange = true, DeletionVector = dv };

    public static RemoveFile Remove(string path, TimeSpan ago, DeletionVectorDescriptor? dv = null) =>
        new() { Path = path, DeletionTimestamp = (Now - ago).ToUnixTimeMilliseconds(), DataChange = true, DeletionVector = dv };

    /// <summary>A relative ('u') deletion vector in a file named after <paramref name="uuid"/>.</summary>
    public static DeletionVectorDescriptor Dv(Guid uuid, int offset = 1) =>
        new() { StorageType = "u", PathOrInlineDv = DeletionVectorPath.EncodeUuid(uuid), Offset = offset, SizeInBytes = 36, Cardinality = 2 };

    public static string DvFile(Guid uuid) => $"deletion_vector_{uuid:D}.bin";

    /// <summary>A listed object last modified <paramref name="age"/> before now.</summary>
    public static ObjectInfo Listed(string key, TimeSpan age, long size = 100) => new(key, size, Now - age);

    public static TimeSpan Days(double d) => TimeSpan.FromDays(d);
    public static TimeSpan Hours(double h) => TimeSpan.FromHours(h);
}
