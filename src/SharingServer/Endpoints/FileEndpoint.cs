using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using ReplicaSync.Storage;

namespace ReplicaSync.SharingServer;

/// <summary>
/// <c>GET {prefix}/files/{share}/{schema}/{table}/{key…}?expires=&amp;sig=</c>: serves a file named by a
/// pre-signed URL. No bearer token: the signature is the authorization. Supports single byte ranges, and HEAD
/// for HTTP file systems that ask for the size first.
/// </summary>
internal sealed class FileEndpoint(ServerContext server)
{
    private const int BufferSize = 64 << 10;

    public async Task HandleAsync(HttpContext http)
    {
        var (share, schema, tableName, key) = ParsePath(http);
        var expiresText = RequestParameters.String(http.Request, "expires");
        var sig = RequestParameters.String(http.Request, "sig");
        if (expiresText is null || !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || !server.Signer.VerifyHex(FileUrlSigner.Purpose, FileUrlSigner.SignedData(share, schema, tableName, key, expiresText), sig))
            throw SharingException.Forbidden("the file URL signature is not valid");
        if (expires < DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() || server.Faults.ExpiredEarly(expires, server.Config.UrlLifetimeSeconds))
            throw SharingException.Forbidden("the file URL has expired");

        // The signature is the authorization: it was made for this exact table and key.
        var table = server.Catalog.Table(share, schema, tableName, recipient: null);
        var ct = http.RequestAborted;
        var info = await table.Store.StatAsync(key, ct)
            ?? throw SharingException.NotFound("the file does not exist (it may have been vacuumed)");

        var response = http.Response;
        var rangesServed = !server.Faults.TakeIgnoreRange();
        if (rangesServed)
            response.Headers.AcceptRanges = "bytes";
        response.ContentType = "application/octet-stream";
        ByteRange? range = null;
        if (rangesServed && RangeOf(http.Request, info.Size) is { } r)
        {
            if (r.Length == 0)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{info.Size}";
                return;
            }
            range = r;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {r.Offset}-{r.Offset + r.Length!.Value - 1}/{info.Size}";
        }
        var length = range?.Length ?? info.Size;
        if (HttpMethods.IsHead(http.Request.Method))
        {
            response.ContentLength = length;
            return;
        }

        var fault = server.Faults.TakeBodyFault();
        var sending = Math.Min(length, fault?.Bytes ?? long.MaxValue);
        // A silently short body has no length, so the client sees a normal end of response and must count bytes.
        if (fault is not { Reset: false } || sending == length)
            response.ContentLength = length;
        else
            await response.StartAsync(ct);
        await using var stream = await table.Store.OpenReadAsync(key, range, ct);
        var sent = new StrongBox<long>();
        try
        {
            await CopyAsync(stream, response.Body, sending, sent, ct);
        }
        finally
        {
            server.Faults.FileServed(key, range is not null, sent.Value);
        }
        if (fault is { Reset: true } && sending < length)
        {
            // Injected fault: the client must see a broken transfer, not a short file. The pause lets the client
            // read what was sent before the reset, which would otherwise discard it.
            await response.Body.FlushAsync(ct);
            await Task.Delay(50, ct);
            http.Abort();
        }
    }

    /// <summary>
    /// Splits the raw request target, decoding each segment once. Kestrel's own decoding would turn
    /// <c>%2F</c> inside a segment into a separator, and dot segments must be refused, not resolved.
    /// </summary>
    private (string Share, string Schema, string Table, string Key) ParsePath(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.ToString();
        var query = raw.IndexOf('?');
        var path = query < 0 ? raw : raw[..query];
        var prefix = server.Prefix + "/files/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
            throw SharingException.InvalidParameter("malformed file URL");
        var segments = path[prefix.Length..].Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length < 4)
            throw SharingException.NotFound("the file does not exist");
        foreach (var segment in segments)
        {
            if (segment is "" or "." or ".." || segment.Contains('/') || segment.Contains('\\') || segment.Any(char.IsControl))
                throw SharingException.InvalidParameter("the file path is not valid");
        }
        return (segments[0], segments[1], segments[2], string.Join('/', segments[3..]));
    }

    /// <summary>The single byte range asked for, clipped to the file; Length 0 when unsatisfiable; null for the whole file.</summary>
    private static ByteRange? RangeOf(HttpRequest request, long size)
    {
        if (!RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var header)
            || !"bytes".Equals(header.Unit.Value, StringComparison.OrdinalIgnoreCase) || header.Ranges.Count != 1)
            return null;
        var item = header.Ranges.First();
        long from, to;
        if (item.From is { } f)
        {
            from = f;
            to = Math.Min(item.To ?? size - 1, size - 1);
        }
        else
        {
            from = Math.Max(0, size - (item.To ?? 0));
            to = (item.To ?? 0) == 0 ? -1 : size - 1;
        }
        return from >= size || to < from ? new ByteRange(0, 0) : new ByteRange(from, to - from + 1);
    }

    /// <summary>Copies up to <paramref name="count"/> bytes with a pooled buffer, counting in <paramref name="sent"/> what went out.</summary>
    private static async Task CopyAsync(Stream source, Stream target, long count, StrongBox<long> sent, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (count > sent.Value)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, count - sent.Value)), ct);
                if (read == 0)
                    break;
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                sent.Value += read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
