using System.Buffers;
using System.Text.Json;

namespace ReplicaSync.Delta;

/// <summary>Encodes actions one JSON line at a time (with its newline) into one reused buffer.</summary>
public sealed class ActionLineEncoder : IDisposable
{
    private readonly ArrayBufferWriter<byte> _line = new();
    private readonly Utf8JsonWriter _json;

    public ActionLineEncoder() => _json = new Utf8JsonWriter(_line, new JsonWriterOptions { SkipValidation = true });

    /// <summary>The action's line, newline included; valid until the next call.</summary>
    public ReadOnlySpan<byte> Encode(DeltaAction action)
    {
        _line.ResetWrittenCount();
        ActionCodec.Write(_json, action);
        _json.Flush();
        _json.Reset();
        _line.Write("\n"u8);
        return _line.WrittenSpan;
    }

    public void Dispose() => _json.Dispose();
}
