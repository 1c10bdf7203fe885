using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReplicaSync.SharingServer;

/// <summary>
/// Compile-time JSON contracts of the server's config file and of the profiles it writes (the shipped binary is
/// native, without reflection-based serialization).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    // A misspelt key would silently fall back to a default; report it instead.
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(SharingServerConfig))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
internal sealed partial class SharingServerJsonContext : JsonSerializerContext;
