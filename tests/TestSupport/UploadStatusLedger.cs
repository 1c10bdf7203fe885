using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace ReplicaSync.TestSupport;

/// <summary>
/// Answers GCS resumable-upload status queries (a PUT to the session with <c>Content-Range: bytes */N</c> and no body)
/// as GCS does, for an emulator that gets them wrong: the Firebase emulator finalizes the object with the bytes it
/// has so far (none, after a chunk lost to an injected fault), where GCS answers 308 with the range it holds. The
/// Google client asks exactly that after a chunk fails with a 5xx, so without this an injected fault would publish an
/// empty object. The ledger learns each session's bytes from the emulator's answers to the chunks it forwarded.
/// </summary>
internal sealed class UploadStatusLedger
{
    private const long Finished = -1;
    private readonly ConcurrentDictionary<string, long> _received = new(StringComparer.Ordinal);
    private long _answered;

    /// <summary>Status queries this ledger answered itself.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Answers a status query of an unfinished session with 308 and the bytes held; false for anything else.</summary>
    public bool TryAnswer(HttpContext http)
    {
        if (Session(http.Request) is not { } id || !IsStatusQuery(http.Request))
            return false;
        var received = _received.GetValueOrDefault(id);
        if (received == Finished)
            return false;
        Interlocked.Increment(ref _answered);
        http.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        if (received > 0)
            http.Response.Headers["Range"] = $"bytes=0-{received - 1}";
        return true;
    }

    /// <summary>Records what the emulator answered to a chunk of a session: 308 means held, 2xx means the object is published.</summary>
    public void Record(HttpRequest request, int status)
    {
        if (Session(request) is not { } id)
            return;
        if (status is >= 200 and < 300)
            _received[id] = Finished;
        else if (status == StatusCodes.Status308PermanentRedirect && ContentRangeHeaderValue.TryParse(request.Headers.ContentRange, out var range) && range.To is { } to)
            _received[id] = to + 1;
    }

    private static string? Session(HttpRequest request) =>
        request.Method == HttpMethods.Put && request.Query["upload_id"] is { Count: 1 } id ? id.ToString() : null;

    private static bool IsStatusQuery(HttpRequest request) =>
        request.ContentLength is null or 0
        && ContentRangeHeaderValue.TryParse(request.Headers.ContentRange, out var range) && range is { HasRange: false, Unit: "bytes" };
}
