using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The schema as the parquet response format shows it: field metadata reduced to <c>comment</c>, as the
/// reference server does (column mapping and other engine metadata would mislead a parquet-format reader).
/// </summary>
internal static class ParquetSchema
{
    public static string Clean(string schemaString)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(schemaString); }
        catch (JsonException) { return schemaString; }
        if (root is null)
            return schemaString;
        CleanType(root);
        return root.ToJsonString();
    }

    private static void CleanType(JsonNode? type)
    {
        if (type is not JsonObject obj)
            return;
        var kind = obj["type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        switch (kind)
        {
            case "struct" when obj["fields"] is JsonArray fields:
                foreach (var field in fields.OfType<JsonObject>())
                {
                    if (field["metadata"] is JsonObject metadata)
                    {
                        foreach (var key in metadata.Select(p => p.Key).Where(k => k != "comment").ToList())
                            metadata.Remove(key);
                    }
                    CleanType(field["type"]);
                }
                break;
            case "array":
                CleanType(obj["elementType"]);
                break;
            case "map":
                CleanType(obj["keyType"]);
                CleanType(obj["valueType"]);
                break;
        }
    }
}
