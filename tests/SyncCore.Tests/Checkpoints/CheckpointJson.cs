using System.Globalization;
using System.Text.Json.Nodes;
using ReplicaSync.Delta;

namespace ReplicaSync.Tests.Checkpoints;

/// <summary>
/// One canonical text per checkpoint row, built either from the actions our reader returns or from the rows DuckDB
/// or hyparquet return (tests/js), over the fields the checkpoint reader decodes. Numbers and strings print as
/// their text, maps as objects sorted by key, and null, empty maps and empty lists are left out, so either side
/// compares equal exactly when the content agrees.
/// </summary>
public static class CheckpointJson
{
    // The fields our reader decodes, per action; nested structs name their own fields.
    private static readonly Dictionary<string, string[]> Fields = new()
    {
        ["add"] = ["path", "partitionValues", "size", "modificationTime", "dataChange", "stats", "tags", "deletionVector",
                   "baseRowId", "defaultRowCommitVersion", "clusteringProvider"],
        ["remove"] = ["path", "deletionTimestamp", "dataChange", "extendedFileMetadata", "partitionValues", "size", "deletionVector",
                      "baseRowId", "defaultRowCommitVersion"],
        ["metaData"] = ["id", "name", "description", "format", "schemaString", "partitionColumns", "configuration", "createdTime"],
        ["protocol"] = ["minReaderVersion", "minWriterVersion", "readerFeatures", "writerFeatures"],
        ["txn"] = ["appId", "version", "lastUpdated"],
        ["domainMetadata"] = ["domain", "configuration", "removed"],
        ["deletionVector"] = ["storageType", "pathOrInlineDv", "offset", "sizeInBytes", "cardinality"],
        ["format"] = ["provider", "options"],
    };

    private static readonly HashSet<string> Maps = ["partitionValues", "tags", "options", "configuration"];

    /// <summary>The canonical text of each row of a reader's output that holds an action our reader reads.</summary>
    public static List<string> FromRows(JsonArray rows)
    {
        var result = new List<string>();
        foreach (var row in rows)
        {
            var kind = Fields.Keys.Take(6).FirstOrDefault(k => row![k] is not null);
            if (kind is not null)
                result.Add(Canonical(kind, row![kind]));
        }
        return result;
    }

    /// <summary>The canonical text of one action, as its checkpoint row would hold it.</summary>
    public static string FromAction(DeltaAction action)
    {
        var json = JsonNode.Parse(ActionCodec.ToJson(action))!.AsObject();
        var kind = json.Single().Key;
        // Actions serialise maps as objects; rows hold them as [{key, value}], which Canonical also accepts.
        return Canonical(kind, json[kind]);
    }

    private static string Canonical(string kind, JsonNode? node)
    {
        if (node is not JsonObject obj)
            return Scalar(node);
        var parts = new List<string>();
        foreach (var field in Fields[kind])
        {
            var value = obj[field];
            var text = Maps.Contains(field) ? Map(value)
                : Fields.ContainsKey(field) ? (value is null ? "" : Canonical(field, value))
                : value is JsonArray list ? (list.Count == 0 ? "" : "[" + string.Join(",", list.Select(Scalar)) + "]")
                : value is null ? "" : Scalar(value);
            if (text.Length > 0)
                parts.Add(field + "=" + text);
        }
        return kind + "{" + string.Join(";", parts) + "}";
    }

    private static string Map(JsonNode? node)
    {
        var entries = node switch
        {
            JsonArray pairs => pairs.Select(p => ((string)p!["key"]!, Scalar(p["value"]))),
            JsonObject obj => obj.Select(p => (p.Key, Scalar(p.Value))),
            _ => [],
        };
        var sorted = entries.OrderBy(e => e.Item1, StringComparer.Ordinal).Select(e => e.Item1 + ":" + e.Item2).ToList();
        return sorted.Count == 0 ? "" : "{" + string.Join(",", sorted) + "}";
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => "\"" + s + "\"",
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => "\"" + Convert.ToString(v.GetValue<decimal>(), CultureInfo.InvariantCulture) + "\"",
        _ => node.ToJsonString(),
    };
}
