namespace ReplicaSync.Vacuum;

/// <summary>Vacuum refused to run (unknown table features, no Delta log, a malformed setting, a table that moved); nothing was deleted.</summary>
public sealed class VacuumException(string message) : Exception(message);
