using ReplicaSync.Delta;

namespace ReplicaSync.Vacuum;

/// <summary>A change data file a commit present names, with that commit's time: it is retained as long as the version is.</summary>
public sealed record CommitChangeFile(CdcFile File, long CommitTimestamp);
