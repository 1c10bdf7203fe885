using System.Text.Json.Serialization;

namespace ReplicaSync.Daemon.Cli;

/// <summary>Source-generated JSON for the CLI's machine-readable output.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ReplicaStatus))]
[JsonSerializable(typeof(IReadOnlyList<ReplicaSync.Sharing.Survey.TableSummary>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
