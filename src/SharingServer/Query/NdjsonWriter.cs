using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>
/// Writes NDJSON lines straight into the response pipe and flushes every few lines, so a large response is
/// streamed while it is produced instead of being built in memory.
/// </summary>
internal sealed class NdjsonWriter : IDisposable
{
    private const int LinesPerFlush = 64;

    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;
    private int _unflushed;

    public NdjsonWriter(HttpResponse response)
    {
        _pipe = response.BodyWriter;
        _json = new Utf8JsonWriter(_pipe);
    }

    /// <summary>Writes one line; <paramref name="write"/> must produce exactly one JSON value.</summary>
    public void Line(Action<Utf8JsonWriter> write)
    {
        write(_json);
        _json.Flush();
        _json.Reset();
        _pipe.Write("\n"u8);
        _unflushed++;
    }

    /// <summary>Sends buffered lines to the client once enough have accumulated.</summary>
    public ValueTask FlushIfDueAsync(CancellationToken ct) =>
        _unflushed >= LinesPerFlush ? FlushAsync(ct) : ValueTask.CompletedTask;

    public async ValueTask FlushAsync(CancellationToken ct)
    {
        _unflushed = 0;
        await _pipe.FlushAsync(ct);
    }

    public void Dispose() => _json.Dispose();
}
