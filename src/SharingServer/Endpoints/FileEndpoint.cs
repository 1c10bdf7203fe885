using System.Globalization;
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
        if (expires < DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
            throw SharingException.Forbidden("the file URL has expired");

        var table = server.Catalog.Table(share, schema, tableName);
        var ct = http.RequestAborted;
        var info = await table.Store.StatAsync(key, ct)
            ?? throw SharingException.NotFound("the file does not exist (it may have been vacuumed)");

        var response = http.Response;
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = "application/octet-stream";
        ByteRange? range = null;
        if (RangeOf(http.Request, info.Size) is { } r)
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
        response.ContentLength = length;
        if (HttpMethods.IsHead(http.Request.Method))
            return;

        var truncateAfter = server.Faults.TakeTruncation();
        await using var stream = await table.Store.OpenReadAsync(key, range, ct);
        await CopyAsync(stream, response.Body, Math.Min(length, truncateAfter ?? long.MaxValue), ct);
        if (truncateAfter < length)
        {
            // Injected fault: the client must see a broken transfer, not a short file.
            await response.Body.FlushAsync(ct);
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

    private static async Task CopyAsync(Stream source, Stream target, long count, CancellationToken ct)
    {
        var buffer = new byte[BufferSize];
        while (count > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
            if (read == 0)
                break;
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
            count -= read;
        }
    }
}
