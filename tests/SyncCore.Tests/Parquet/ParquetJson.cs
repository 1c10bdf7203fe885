using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReplicaSync.Parquet;

namespace ReplicaSync.Tests.Parquet;

/// <summary>
/// Normalises rows the way tests/js/*.mjs do, so ParquetRows.ReadAll can be compared with DuckDB and hyparquet:
/// 64-bit integers and timestamps (as microseconds) become strings, decimals their unscaled integer, dates days,
/// binaries base64, maps arrays of {key, value}. <see cref="Canonical"/> then prints either side the same way.
/// </summary>
public static class ParquetJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonArray FromRows(SchemaNode schema, IEnumerable<Dictionary<string, object?>> rows, bool sortMaps = false)
    {
        var array = new JsonArray();
        foreach (var row in rows)
        {
            var obj = new JsonObject();
            foreach (var child in schema.Children)
                obj[child.Name] = Field(child, row[child.Name], sortMaps);
            array.Add(obj);
        }
        return array;
    }

    /// <summary>Prints JSON with object keys sorted and every number through one formatter.</summary>
    public static string Canonical(JsonNode? node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            Write(writer, node);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonNode? Field(SchemaNode node, object? value, bool sortMaps)
    {
        if (value is null)
            return null;
        if (node.Repetition == Repetition.Repeated)
            return new JsonArray([.. ((List<object?>)value).Select(item => Instance(node, item, sortMaps))]);
        return Instance(node, value, sortMaps);
    }

    private static JsonNode? Instance(SchemaNode node, object? value, bool sortMaps)
    {
        if (value is null)
            return null;
        if (node.IsLeaf)
            return Leaf(node, value);
        if (NestedShapes.IsMap(node))
        {
            var pairs = node.Children[0];
            var entries = ((List<KeyValuePair<object?, object?>>)value).Select(p => new JsonObject
            {
                ["key"] = Instance(pairs.Children[0], p.Key, sortMaps),
                ["value"] = pairs.Children.Count > 1 ? Field(pairs.Children[1], p.Value, sortMaps) : null,
            });
            if (sortMaps)
                entries = entries.OrderBy(e => e["key"]!.ToString(), StringComparer.Ordinal);
            return new JsonArray([.. entries]);
        }
        if (NestedShapes.IsList(node))
        {
            var repeated = node.Children[0];
            var element = NestedShapes.WrapsElement(node) ? repeated.Children[0] : repeated;
            return new JsonArray([.. ((List<object?>)value).Select(item => element == repeated ? Instance(element, item, sortMaps) : Field(element, item, sortMaps))]);
        }
        var obj = new JsonObject();
        var record = (Dictionary<string, object?>)value;
        foreach (var child in node.Children)
            obj[child.Name] = Field(child, record[child.Name], sortMaps);
        return obj;
    }

    private static JsonNode Leaf(SchemaNode leaf, object value) => value switch
    {
        bool b => JsonValue.Create(b),
        int i when leaf.Logical == LogicalKind.Decimal => JsonValue.Create(i.ToString()),
        int i when leaf.Logical == LogicalKind.UInt32 => JsonValue.Create((uint)i),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(leaf.Logical switch
        {
            LogicalKind.TimestampMillis => (l * 1000).ToString(),
            LogicalKind.TimestampNanos => (l / 1000).ToString(),
            LogicalKind.UInt64 => ((ulong)l).ToString(),
            _ => l.ToString(),
        }),
        float f => Number(f),
        double d => Number(d),
        string s => JsonValue.Create(s),
        byte[] bytes when leaf.Type == PhysicalType.Int96 => JsonValue.Create(Int96Micros(bytes).ToString()),
        byte[] bytes when leaf.Logical == LogicalKind.Decimal => JsonValue.Create(new BigInteger(bytes, isUnsigned: false, isBigEndian: true).ToString()),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        _ => throw new InvalidOperationException($"unexpected {value.GetType()} in {leaf}"),
    };

    private static JsonNode Number(double d) => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");

    // INT96: nanoseconds of the day (8 bytes), then the Julian day (4 bytes), little-endian.
    private static long Int96Micros(byte[] bytes)
    {
        var nanos = BitConverter.ToInt64(bytes, 0);
        var julianDay = BitConverter.ToInt32(bytes, 8);
        return (julianDay - 2_440_588L) * 86_400_000_000L + nanos / 1000;
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                    Write(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                var d = double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                writer.WriteNumberValue(d == 0 ? 0 : d);
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
