using System.Globalization;
using System.Text.Json;

namespace ReplicaSync.Sharing;

/// <summary>Typed reads of fields in server JSON that fail with a <see cref="SharingProtocolException"/> naming the context and field.</summary>
internal readonly struct JsonFields(string context, long? lineNumber)
{
    public string RequiredString(JsonElement obj, string name) =>
        OptionalString(obj, name) ?? throw Fail($"field '{name}' is missing");

    public string? OptionalString(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Fail($"field '{name}' must be a string");
    }

    /// <summary>A 64-bit integer; numeric strings are accepted because some servers quote large numbers.</summary>
    public long? OptionalLong(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            return number;
        if (value.ValueKind == JsonValueKind.String &&
            long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
            return number;
        throw Fail($"field '{name}' must be an integer");
    }

    public long RequiredLong(JsonElement obj, string name) =>
        OptionalLong(obj, name) ?? throw Fail($"field '{name}' is missing");

    public JsonElement RequiredObject(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw Fail($"field '{name}' is missing");
        return value.ValueKind == JsonValueKind.Object ? value : throw Fail($"field '{name}' must be an object");
    }

    public SharingProtocolException Fail(string reason) => new($"{context}: {reason}", lineNumber);
}
