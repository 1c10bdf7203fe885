using System.Net;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// One resumable upload fed from a stream of unknown length, one chunk in memory at a time. Every chunk but the
/// last is a full <see cref="GcsStoreOptions.ChunkSize"/> sent as <c>Content-Range: bytes a-b/*</c>; the stream's
/// end is seen by reading one byte ahead, so the last chunk carries the total. A 308 answer says how much GCS
/// persisted and anything beyond it is sent again; after a failed chunk the session is asked for its persisted
/// range (<c>bytes */*</c>) and the upload resumes from there. Any failure cancels the session, so no object appears.
/// </summary>
internal sealed class GcsResumableUpload(GcsHttp http, Uri start, string name)
{
    private const int ResumeIncomplete = 308;
    private readonly int _chunkSize = http.Options.ChunkSize;

    /// <summary>Uploads the <paramref name="filled"/> bytes already in <paramref name="buffer"/> and the rest of <paramref name="rest"/>.</summary>
    public async Task<long> RunAsync(byte[] buffer, int filled, Stream rest, CancellationToken ct)
    {
        var session = await StartAsync(ct);
        try
        {
            var peek = new byte[1];
            var ahead = false;
            long offset = 0;
            while (true)
            {
                filled += await rest.ReadAtLeastAsync(buffer.AsMemory(filled, _chunkSize - filled), _chunkSize - filled, throwOnEndOfStream: false, ct);
                if (filled == _chunkSize && !ahead)
                    ahead = await rest.ReadAsync(peek, ct) == 1;
                if (filled < _chunkSize || !ahead)
                {
                    await SendAsync(session, buffer, offset, filled, offset + filled, ct);
                    return offset + filled;
                }
                var persisted = await SendAsync(session, buffer, offset, filled, null, ct);
                // GCS may keep less than a whole chunk: the unpersisted tail moves to the front and goes again.
                var kept = (int)(persisted - offset);
                Buffer.BlockCopy(buffer, kept, buffer, 0, filled - kept);
                filled -= kept;
                offset = persisted;
                buffer[filled++] = peek[0];
                ahead = false;
            }
        }
        catch
        {
            await CancelAsync(session);
            throw;
        }
    }

    private async Task<Uri> StartAsync(CancellationToken ct)
    {
        using var response = await http.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, start) { Content = new ByteArrayContent([]) };
            request.Headers.Add("X-Upload-Content-Type", "application/octet-stream");
            return request;
        }, "start resumable upload", name, retry: true, ct);
        if (!response.IsSuccessStatusCode)
            throw await GcsErrors.FromResponseAsync(response, "start resumable upload", name, ct);
        return response.Headers.Location is { IsAbsoluteUri: true } session
            ? session
            : throw new GcsStoreException($"GCS start resumable upload of {name} answered without a session URI", response.StatusCode);
    }

    /// <summary>
    /// Sends <paramref name="length"/> bytes of <paramref name="buffer"/> that belong at <paramref name="offset"/>.
    /// A middle chunk (<paramref name="total"/> null) is done once GCS has persisted any of it, and the persisted
    /// size is returned; the last chunk is done once GCS has finalized the object. Attempts that make no progress
    /// count as failures.
    /// </summary>
    private async Task<long> SendAsync(Uri session, byte[] buffer, long offset, int length, long? total, CancellationToken ct)
    {
        var sent = 0;
        for (var failures = 0; ;)
        {
            var from = offset + sent;
            var range = sent == length ? $"bytes */{total}" : $"bytes {from}-{offset + length - 1}/{(total is { } t ? t : "*")}";
            (long Persisted, bool Done) state;
            HttpResponseMessage? response = null;
            try
            {
                response = await http.SendOnceAsync(() => Put(session, new ByteArrayContent(buffer, sent, length - sent), range), "resumable upload", name, HttpCompletionOption.ResponseContentRead, ct);
            }
            catch (Exception e) when (GcsHttp.IsTransport(e, ct))
            {
                if (++failures >= http.Options.MaxAttempts)
                    throw GcsErrors.FromTransport(e, "resumable upload", name);
            }
            using (response)
            {
                if (response is not null && !GcsHttp.IsTransient(response.StatusCode))
                {
                    state = await StateAsync(response, total, ct);
                }
                else
                {
                    if (response is not null && ++failures >= http.Options.MaxAttempts)
                        throw await GcsErrors.FromResponseAsync(response, "resumable upload", name, ct);
                    await http.DelayAsync(failures, ct);
                    state = await QueryAsync(session, total, ct);
                }
            }
            if (state.Done)
                return total!.Value;
            if (state.Persisted < from || state.Persisted > offset + length)
                throw new GcsStoreException($"GCS resumable upload of {name} reported {state.Persisted} bytes persisted, outside the chunk {from}-{offset + length - 1}", null);
            if (state.Persisted == from && ++failures >= http.Options.MaxAttempts)
                throw new GcsStoreException($"GCS resumable upload of {name} made no progress at byte {from} after {failures} attempts", null);
            if (total is null && state.Persisted > from)
                return state.Persisted;
            sent = (int)(state.Persisted - offset);
        }
    }

    /// <summary>Asks the session how much it has persisted (<c>Content-Range: bytes */*</c>).</summary>
    private async Task<(long, bool)> QueryAsync(Uri session, long? total, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => Put(session, new ByteArrayContent([]), "bytes */*"), "resumable upload status", name, retry: true, ct);
        return await StateAsync(response, total, ct);
    }

    /// <summary>The persisted size from a 308 (its Range header), or done for a finished upload (200/201).</summary>
    private async Task<(long, bool)> StateAsync(HttpResponseMessage response, long? total, CancellationToken ct)
    {
        if ((int)response.StatusCode == ResumeIncomplete)
            return (response.Headers.TryGetValues("Range", out var values) && ParseRangeEnd(values.First()) is { } end ? end + 1 : 0, false);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created)
        {
            return total is not null ? (total.Value, true) : throw new GcsStoreException(
                $"GCS resumable upload of {name} was finalized before its last chunk (the Firebase emulator does this: use a ChunkSize above the largest object)", response.StatusCode);
        }
        throw await GcsErrors.FromResponseAsync(response, "resumable upload", name, ct);
    }

    private static HttpRequestMessage Put(Uri session, HttpContent content, string range)
    {
        content.Headers.TryAddWithoutValidation("Content-Range", range);
        return new HttpRequestMessage(HttpMethod.Put, session) { Content = content };
    }

    private static long? ParseRangeEnd(string value)
    {
        var dash = value.LastIndexOf('-');
        return dash >= 0 && long.TryParse(value.AsSpan(dash + 1), out var end) ? end : null;
    }

    /// <summary>Best effort: an abandoned session holds no visible object and expires after a week anyway.</summary>
    private async Task CancelAsync(Uri session)
    {
        try
        {
            // Not the caller's token: a cancelled write must still release its session.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await http.SendOnceAsync(() => new HttpRequestMessage(HttpMethod.Delete, session), "cancel resumable upload", name, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or GcsStoreException)
        {
        }
    }
}
