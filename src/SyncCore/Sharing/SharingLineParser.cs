using System.Runtime.InteropServices;
using System.Text.Json;
using ReplicaSync.Delta;

namespace ReplicaSync.Sharing;

/// <summary>Turns one NDJSON line of a metadata or query response into a <see cref="SharingLine"/>.</summary>
/// <remarks>
/// Unknown wrapper keys are rejected rather than skipped: a replica that silently drops a line it does not understand
/// could miss a file action and diverge from the source without anyone noticing. Unknown fields inside known lines are
/// harmless and are ignored (or kept in <see cref="DeltaAction.Extra"/> for delta actions).
/// </remarks>
internal sealed class SharingLineParser(ResponseFormat format, string what, SecretScrubber scrubber)
{
    private static readonly IReadOnlyDictionary<string, string?> NoPartitions = new Dictionary<string, string?>();

    /// <summary>Parses a line; <paramref name="lineNumber"/> is 1-based and goes into every error.</summary>
    public SharingLine Parse(ReadOnlyMemory<byte> line, long lineNumber)
    {
        var fields = new JsonFields($"{what}, line {lineNumber}", lineNumber);
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw fields.Fail("a line must be a JSON object");
            var count = 0;
            JsonProperty wrapper = default;
            foreach (var property in root.EnumerateObject())
            {
                wrapper = property;
                count++;
            }
            if (count != 1)
                throw fields.Fail($"a line must hold exactly one wrapper key, found {count}");
            var key = wrapper.Name;
            var body = wrapper.Value;
            if (body.ValueKind != JsonValueKind.Object)
                throw fields.Fail($"the body of '{Quote(key)}' must be an object");
            return (format, key) switch
            {
                (ResponseFormat.Delta, "protocol") => DeltaProtocol(body, fields),
                (ResponseFormat.Parquet, "protocol") => ParquetProtocol(body, fields),
                (ResponseFormat.Delta, "metaData") => DeltaMetadata(body, fields),
                (ResponseFormat.Parquet, "metaData") => ParquetMetadata(body, fields),
                (ResponseFormat.Delta, "file") => DeltaFile(body, fields),
                (ResponseFormat.Parquet, "file") => ParquetFile(FileActionKind.Add, body, fields, isChange: false),
                (ResponseFormat.Parquet, "add") => ParquetFile(FileActionKind.Add, body, fields, isChange: true),
                (ResponseFormat.Parquet, "remove") => ParquetFile(FileActionKind.Remove, body, fields, isChange: true),
                (ResponseFormat.Parquet, "cdf") => ParquetFile(FileActionKind.Cdf, body, fields, isChange: true),
                (_, "endStreamAction") => EndStream(body, fields, lineNumber),
                _ => throw fields.Fail($"unknown line type '{Quote(key)}' in a {format.ToString().ToLowerInvariant()}-format response"),
            };
        }
        catch (JsonException e)
        {
            // Position only: the parser's message could quote part of the line, and lines hold pre-signed URLs.
            throw fields.Fail($"malformed JSON at byte {e.BytePositionInLine + 1}");
        }
        catch (DeltaFormatException e)
        {
            throw fields.Fail($"invalid Delta action ({scrubber.Scrub(e.Message)})");
        }
    }

    private static ProtocolLine DeltaProtocol(JsonElement body, JsonFields fields) =>
        new(ParseAction<Protocol>("protocol", fields.RequiredObject(body, "deltaProtocol"), fields), fields.OptionalLong(body, "version"));

    private static ProtocolLine ParquetProtocol(JsonElement body, JsonFields fields)
    {
        var reader = fields.RequiredLong(body, "minReaderVersion");
        if (reader is < 1 or > int.MaxValue)
            throw fields.Fail($"field 'minReaderVersion' is {reader}, not a reader version");
        // The parquet format has no writer version; 2 is the lowest that any sharable table can carry.
        return new ProtocolLine(new Protocol { MinReaderVersion = (int)reader, MinWriterVersion = 2 }, null);
    }

    private static MetadataLine DeltaMetadata(JsonElement body, JsonFields fields) =>
        new(ParseAction<Metadata>("metaData", fields.RequiredObject(body, "deltaMetadata"), fields),
            fields.OptionalLong(body, "version"), fields.OptionalLong(body, "size"), fields.OptionalLong(body, "numFiles"));

    private static MetadataLine ParquetMetadata(JsonElement body, JsonFields fields)
    {
        fields.RequiredString(body, "id");
        var parsed = ParseAction<Metadata>("metaData", body, fields);
        // Keep only the Delta metadata fields: version, size, location… describe the response, not the table.
        var metadata = new Metadata
        {
            Id = parsed.Id,
            Name = parsed.Name,
            Description = parsed.Description,
            Format = parsed.Format ?? new FileFormat(),
            SchemaString = parsed.SchemaString,
            PartitionColumns = parsed.PartitionColumns ?? [],
            Configuration = parsed.Configuration ?? [],
            CreatedTime = null,
        };
        return new MetadataLine(metadata, fields.OptionalLong(body, "version"), fields.OptionalLong(body, "size"), fields.OptionalLong(body, "numFiles"));
    }

    private static FileLine DeltaFile(JsonElement body, JsonFields fields)
    {
        var id = fields.RequiredString(body, "id");
        var single = fields.RequiredObject(body, "deltaSingleAction");
        var actions = single.EnumerateObject().ToList();
        if (actions.Count != 1 || actions[0].Name is not ("add" or "remove" or "cdc"))
            throw fields.Fail("field 'deltaSingleAction' must hold exactly one of add, remove or cdc");
        var action = ParseAction<DeltaAction>(actions[0].Name, actions[0].Value, fields);
        var (kind, path, partitions, size, stats, dataChange) = action switch
        {
            AddFile a => (FileActionKind.Add, a.Path, a.PartitionValues, (long?)a.Size, a.Stats, a.DataChange),
            RemoveFile r => (FileActionKind.Remove, r.Path, r.PartitionValues, r.Size, r.Stats, r.DataChange),
            CdcFile c => (FileActionKind.Cdf, c.Path, c.PartitionValues, (long?)c.Size, (string?)null, c.DataChange),
            _ => throw fields.Fail("field 'deltaSingleAction' must hold exactly one of add, remove or cdc"),
        };
        if (string.IsNullOrEmpty(path))
            throw fields.Fail($"the {actions[0].Name} action has no path");
        return new FileLine(kind, id, path, partitions ?? NoPartitions, size, stats, dataChange,
            fields.OptionalLong(body, "version"), fields.OptionalLong(body, "timestamp"), fields.OptionalLong(body, "expirationTimestamp"),
            fields.OptionalString(body, "deletionVectorFileId"), action);
    }

    private static FileLine ParquetFile(FileActionKind kind, JsonElement body, JsonFields fields, bool isChange)
    {
        // Change lines are meaningless without the commit they belong to, so the protocol makes both fields mandatory there.
        var version = isChange ? fields.RequiredLong(body, "version") : fields.OptionalLong(body, "version");
        var timestamp = isChange ? fields.RequiredLong(body, "timestamp") : fields.OptionalLong(body, "timestamp");
        return new FileLine(kind, fields.RequiredString(body, "id"), fields.RequiredString(body, "url"), ParquetPartitions(body, fields),
            fields.OptionalLong(body, "size"), fields.OptionalString(body, "stats"), DataChange: true,
            version, timestamp, fields.OptionalLong(body, "expirationTimestamp"), DeletionVectorFileId: null, DeltaAction: null);
    }

    private static Dictionary<string, string?> ParquetPartitions(JsonElement body, JsonFields fields)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!body.TryGetProperty("partitionValues", out var element) || element.ValueKind == JsonValueKind.Null)
            return values;
        if (element.ValueKind != JsonValueKind.Object)
            throw fields.Fail("field 'partitionValues' must be an object");
        foreach (var property in element.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                // The parquet format writes a null partition value as "".
                JsonValueKind.String => property.Value.GetString() is { Length: > 0 } s ? s : null,
                _ => throw fields.Fail("field 'partitionValues' must map names to strings"),
            };
        }
        return values;
    }

    private EndStreamLine EndStream(JsonElement body, JsonFields fields, long lineNumber)
    {
        if (fields.OptionalString(body, "errorMessage") is { } error)
        {
            var message = scrubber.ScrubAndTruncate(error);
            var text = $"{what}: the server failed after starting the response (line {lineNumber}): {message}";
            throw fields.OptionalLong(body, "httpStatusErrorCode") is { } code and >= 100 and <= 599
                ? new SharingHttpException((int)code, null, message, $"{text} (HTTP {code})")
                : new SharingException(text);
        }
        return new EndStreamLine(
            NullIfEmpty(fields.OptionalString(body, "refreshToken")),
            NullIfEmpty(fields.OptionalString(body, "nextPageToken")),
            fields.OptionalLong(body, "minUrlExpirationTimestamp"));
    }

    private static T ParseAction<T>(string name, JsonElement body, JsonFields fields) where T : DeltaAction
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(body));
        reader.Read();
        try
        {
            return ActionCodec.ParseBody(name, ref reader, "action") as T
                ?? throw fields.Fail($"'{name}' did not parse as {typeof(T).Name}");
        }
        catch (JsonException e)
        {
            // The line is valid JSON (it was parsed already), so this is a field of the wrong type.
            throw fields.Fail($"invalid Delta action: '{name}' field {e.Path ?? "?"} has the wrong type");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private string Quote(string key) => scrubber.ScrubAndTruncate(key.Length > 60 ? key[..60] : key);
}
