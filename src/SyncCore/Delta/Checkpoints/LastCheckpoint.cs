using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReplicaSync.Delta;

/// <summary>The <c>_last_checkpoint</c> hint: the newest checkpoint's version, action count and parts. Only a hint.</summary>
public sealed record LastCheckpoint
{
    public const string Key = "_delta_log/_last_checkpoint";

    public long Version { get; init; }
    public long? Size { get; init; }
    public int? Parts { get; init; }
    public long? SizeInBytes { get; init; }
    public long? NumOfAddFiles { get; init; }

    /// <summary>Parses the hint; null when it is corrupt (readers then fall back to listing).</summary>
    public static LastCheckpoint? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            var hint = JsonSerializer.Deserialize(json, LastCheckpointJsonContext.Default.LastCheckpoint);
            return hint is { Version: >= 0 } ? hint : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, LastCheckpointJsonContext.Default.LastCheckpoint);
}

/// <summary>Source-generated JSON for <see cref="LastCheckpoint"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(LastCheckpoint))]
internal sealed partial class LastCheckpointJsonContext : JsonSerializerContext;
