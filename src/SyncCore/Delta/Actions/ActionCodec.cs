using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ReplicaSync.Delta;

/// <summary>Reads and writes single-line Delta actions (<c>{"add":{…}}</c>).</summary>
public static class ActionCodec
{
    /// <summary>Parses one line; throws <see cref="DeltaFormatException"/> naming <paramref name="source"/> on bad input.</summary>
    public static DeltaAction Parse(ReadOnlySpan<byte> utf8Line, string source) => Parse(utf8Line, new LineSource(source, 0), ActionDetail.Full);

    /// <summary>
    /// Parses line <see cref="LineSource.Line"/> of a log file; the source is formatted only if the line is bad, since
    /// replay parses millions of lines.
    /// </summary>
    public static DeltaAction Parse(ReadOnlySpan<byte> utf8Line, LineSource source, ActionDetail detail)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new DeltaFormatException($"{source}: a line must be a JSON object");
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
                throw new DeltaFormatException($"{source}: the action object is empty");
            var name = reader.GetString()!;
            if (!reader.Read())
                throw new DeltaFormatException($"{source}: the action '{name}' has no body");
            var action = ParseBody(name, ref reader, source, detail);
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
                throw new DeltaFormatException($"{source}: a line must hold exactly one action");
            return action;
        }
        catch (JsonException e)
        {
            throw new DeltaFormatException($"{source}: malformed JSON ({e.Message})", e);
        }
    }

    /// <summary>Parses the body of an action whose wrapper key is <paramref name="name"/>; the reader sits on the body's first token.</summary>
    public static DeltaAction ParseBody(string name, ref Utf8JsonReader reader, string source) =>
        ParseBody(name, ref reader, new LineSource(source, 0), ActionDetail.Full);

    private static DeltaAction ParseBody(string name, ref Utf8JsonReader reader, LineSource source, ActionDetail detail)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new DeltaFormatException($"{source}: the body of '{name}' must be an object");
        var ctx = DeltaJsonContext.Default;
        DeltaAction? action = (name, detail) switch
        {
            ("protocol", _) => JsonSerializer.Deserialize(ref reader, ctx.Protocol),
            ("metaData", _) => JsonSerializer.Deserialize(ref reader, ctx.Metadata),
            ("add", ActionDetail.Replay) => JsonSerializer.Deserialize(ref reader, ctx.SlimFileAction)?.ToAdd(),
            ("remove", ActionDetail.Replay) => JsonSerializer.Deserialize(ref reader, ctx.SlimFileAction)?.ToRemove(),
            ("add", _) => JsonSerializer.Deserialize(ref reader, ctx.AddFile),
            ("remove", _) => JsonSerializer.Deserialize(ref reader, ctx.RemoveFile),
            ("cdc", _) => JsonSerializer.Deserialize(ref reader, ctx.CdcFile),
            ("txn", _) => JsonSerializer.Deserialize(ref reader, ctx.SetTransaction),
            ("commitInfo", _) => JsonSerializer.Deserialize(ref reader, ctx.CommitInfo),
            ("domainMetadata", _) => JsonSerializer.Deserialize(ref reader, ctx.DomainMetadata),
            _ => new UnknownAction(name, JsonElement.ParseValue(ref reader)),
        };
        return action ?? throw new DeltaFormatException($"{source}: the body of '{name}' is null");
    }

    /// <summary>The wrapper key of an action as it appears in a commit.</summary>
    public static string NameOf(DeltaAction action) => action switch
    {
        Protocol => "protocol",
        Metadata => "metaData",
        AddFile => "add",
        RemoveFile => "remove",
        CdcFile => "cdc",
        SetTransaction => "txn",
        CommitInfo => "commitInfo",
        DomainMetadata => "domainMetadata",
        UnknownAction u => u.Name,
        _ => throw new ArgumentException($"unknown action type {action.GetType().Name}"),
    };

    /// <summary>Writes the action as one JSON object, without a newline.</summary>
    public static void Write(Utf8JsonWriter writer, DeltaAction action)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(NameOf(action));
        WriteBody(writer, action);
        writer.WriteEndObject();
    }

    /// <summary>Writes only the body of the action (the object inside the wrapper key).</summary>
    public static void WriteBody(Utf8JsonWriter writer, DeltaAction action)
    {
        var ctx = DeltaJsonContext.Default;
        switch (action)
        {
            case Protocol p: JsonSerializer.Serialize(writer, p, ctx.Protocol); break;
            case Metadata m: JsonSerializer.Serialize(writer, m, ctx.Metadata); break;
            case AddFile a: JsonSerializer.Serialize(writer, a, ctx.AddFile); break;
            case RemoveFile r: JsonSerializer.Serialize(writer, r, ctx.RemoveFile); break;
            case CdcFile c: JsonSerializer.Serialize(writer, c, ctx.CdcFile); break;
            case SetTransaction t: JsonSerializer.Serialize(writer, t, ctx.SetTransaction); break;
            case CommitInfo ci: JsonSerializer.Serialize(writer, ci, ctx.CommitInfo); break;
            case DomainMetadata d: JsonSerializer.Serialize(writer, d, ctx.DomainMetadata); break;
            case UnknownAction u: u.Body.WriteTo(writer); break;
            default: throw new ArgumentException($"unknown action type {action.GetType().Name}");
        }
    }

    /// <summary>Serializes actions as newline-delimited JSON, one action per line.</summary>
    public static byte[] ToNdjson(IEnumerable<DeltaAction> actions)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var lines = new ActionLineEncoder();
        foreach (var action in actions)
            buffer.Write(lines.Encode(action));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One action as a JSON line without the trailing newline.</summary>
    public static string ToJson(DeltaAction action) => Encoding.UTF8.GetString(ToNdjson([action])).TrimEnd('\n');

    /// <summary>
    /// Deep copy, for mirroring a provider's action before rewriting it: an add (one per file, the hot case) field by
    /// field, the other actions through JSON.
    /// </summary>
    public static T Clone<T>(T action) where T : DeltaAction
    {
        if (action is AddFile add)
            return (T)(DeltaAction)add.Copy();
        var bytes = ToNdjson([action]);
        return (T)Parse(bytes.AsSpan(0, bytes.Length - 1), "clone");
    }
}
