namespace ReplicaSync.Sharing;

/// <summary>A table as listed by the tables and all-tables calls; <see cref="Id"/> is stable across renames when the server sends it.</summary>
public sealed record TableInfo(string Name, string Schema, string Share, string? Id);
