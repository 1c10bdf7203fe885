using System.Runtime.CompilerServices;

namespace ReplicaSync.Sharing;

/// <summary>Reads a metadata or query response body line by line, enforcing the protocol's line order as it goes.</summary>
internal static class SharingLineStream
{
    /// <summary>
    /// Yields each line as soon as it is parsed. Lines 1 and 2 must be protocol and metaData; an endStreamAction must be
    /// last, and must be present when <paramref name="requireEndStream"/> (the server promised one, so its absence means truncation).
    /// </summary>
    public static async IAsyncEnumerable<SharingLine> ReadAsync(
        Stream body, SharingLineParser parser, bool requireEndStream, string what, SecretScrubber scrubber,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var reader = new NdjsonLineReader(body);
        var count = 0;
        var ended = false;
        while (true)
        {
            ReadOnlyMemory<byte>? next;
            try
            {
                next = await reader.ReadLineAsync(ct).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw new SharingProtocolException($"{what}: {e.Message}", reader.LineNumber + 1, e);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                // Not retried here: lines before the break were already handed out, so only the caller can restart cleanly.
                throw new SharingException(
                    $"{what}: the response broke off after line {reader.LineNumber} ({scrubber.Scrub(e.Message)}); re-issue the request", e);
            }
            if (next is not { } line)
                break;
            if (IsBlank(line.Span))
                continue;
            var lineNumber = reader.LineNumber;
            if (ended)
                throw new SharingProtocolException($"{what}, line {lineNumber}: a line follows the endStreamAction, which must be last", lineNumber);
            var parsed = parser.Parse(line, lineNumber);
            count++;
            if (count == 1 && parsed is not ProtocolLine)
                throw OutOfOrder(what, lineNumber, "protocol", parsed);
            if (count == 2 && parsed is not MetadataLine)
                throw OutOfOrder(what, lineNumber, "metaData", parsed);
            ended = parsed is EndStreamLine;
            yield return parsed;
        }
        if (count < 2)
            throw new SharingProtocolException($"{what}: the response ended after {count} line(s); it must start with protocol and metaData");
        if (requireEndStream && !ended)
            throw new SharingProtocolException(
                $"{what}: the response ended without the endStreamAction the server promised (includeendstreamaction=true); it was truncated");
    }

    private static SharingProtocolException OutOfOrder(string what, long lineNumber, string expected, SharingLine got) =>
        new($"{what}, line {lineNumber}: expected a {expected} line, got {Describe(got)}", lineNumber);

    private static string Describe(SharingLine line) => line switch
    {
        ProtocolLine => "protocol",
        MetadataLine => "metaData",
        FileLine f => $"a file line ({f.Kind.ToString().ToLowerInvariant()})",
        EndStreamLine => "endStreamAction",
        _ => line.GetType().Name,
    };

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;
}
