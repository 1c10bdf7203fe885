using System.Text.Json.Serialization;

namespace ReplicaSync.Delta;

/// <summary>Source-generated JSON contract for the Delta actions: camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Protocol))]
[JsonSerializable(typeof(Metadata))]
[JsonSerializable(typeof(AddFile))]
[JsonSerializable(typeof(RemoveFile))]
[JsonSerializable(typeof(CdcFile))]
[JsonSerializable(typeof(SetTransaction))]
[JsonSerializable(typeof(CommitInfo))]
[JsonSerializable(typeof(DomainMetadata))]
[JsonSerializable(typeof(SlimFileAction))]
internal sealed partial class DeltaJsonContext : JsonSerializerContext;
