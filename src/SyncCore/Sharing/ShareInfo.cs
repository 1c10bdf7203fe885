namespace ReplicaSync.Sharing;

/// <summary>A share as listed by <c>GET /shares</c>.</summary>
public sealed record ShareInfo(string Name, string? Id);
