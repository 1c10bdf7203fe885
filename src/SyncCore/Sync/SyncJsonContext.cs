using System.Text.Json.Serialization;

namespace ReplicaSync.Sync;

/// <summary>Source-generated JSON for the small documents the engine writes itself.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
internal sealed partial class SyncJsonContext : JsonSerializerContext;
