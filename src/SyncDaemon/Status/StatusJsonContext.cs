using System.Text.Json;
using System.Text.Json.Serialization;
using ReplicaSync.Daemon.Http;

namespace ReplicaSync.Daemon.Status;

/// <summary>
/// Compile-time JSON contracts of the daemon's HTTP replies and of the table states a cluster shares in PostgreSQL
/// (the shipped binary is native, without reflection-based serialization).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(DaemonStatusReport))]
[JsonSerializable(typeof(TableStatus))]
[JsonSerializable(typeof(ReadinessReply))]
[JsonSerializable(typeof(TriggerReply))]
[JsonSerializable(typeof(ErrorReply))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
