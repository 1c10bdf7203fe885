namespace ReplicaSync.Sharing;

/// <summary>A schema as listed by <c>GET /shares/{share}/schemas</c>.</summary>
public sealed record SchemaInfo(string Name, string Share);
