namespace ReplicaSync.Vacuum;

/// <summary>The retention a vacuum applies, the table's own setting, and a warning when the first is shorter.</summary>
public sealed record Retention(TimeSpan Effective, TimeSpan TableSetting, string Source, string? Warning);
