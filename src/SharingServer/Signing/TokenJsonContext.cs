using System.Text.Json.Serialization;

namespace ReplicaSync.SharingServer;

/// <summary>Compile-time JSON contracts of the payloads inside the server's signed page and refresh tokens.</summary>
[JsonSerializable(typeof(QueryPageToken))]
[JsonSerializable(typeof(RefreshToken))]
[JsonSerializable(typeof(ListEndpoints.ListPageToken))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
