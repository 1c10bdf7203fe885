using System.Runtime.CompilerServices;

namespace ReplicaSync.Sharing;

/// <summary>
/// Follows a query's pages: every page repeats the protocol and metaData lines and the table version, and all but
/// the last end with an endStreamAction carrying the <c>nextPageToken</c> that asks for the next one. The lines come
/// out as one response: the head once, then each page's file lines and its endStreamAction (whose
/// <see cref="EndStreamLine.NextPageToken"/> tells a page boundary from the end). The next page is asked for only
/// when the caller reads past the previous one, so a caller that pauses holds no request open beyond the current page.
/// </summary>
internal sealed class QueryPages(QueryPage first, Func<string, CancellationToken, Task<QueryPage>> open) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly QueryPage _first = first;
    private QueryPage _current = first;
    private bool _disposed;

    public async IAsyncEnumerable<SharingLine> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var page = _first;
        var number = 1;
        string? token = null;
        while (true)
        {
            string? next = null;
            var line = 0;
            await foreach (var parsed in page.Read(ct).ConfigureAwait(false))
            {
                // Lines 1 and 2 of every page are protocol and metaData (the line stream checks it); later pages repeat them.
                if (++line <= 2 && number > 1)
                    continue;
                if (parsed is EndStreamLine end)
                    next = string.IsNullOrEmpty(end.NextPageToken) ? null : end.NextPageToken;
                yield return parsed;
            }
            if (next is null)
                yield break;
            // A server that hands back the token it was given would have us fetch the same page forever.
            if (next == token)
                throw new SharingProtocolException($"{page.What}: page {number} returned the same nextPageToken again; stopping to avoid an endless loop");
            token = next;
            number++;
            page = await OpenNextAsync(next, ct).ConfigureAwait(false);
            if (page.Version != _first.Version)
                throw new SharingProtocolException(
                    $"{page.What}: page {number} is of table version {page.Version} but the first page was of version {_first.Version}; every page must repeat it");
            if (page.Format != _first.Format)
                throw new SharingProtocolException($"{page.What}: page {number} is in the {page.Format} format but the first page was in {_first.Format}");
        }
    }

    /// <summary>Releases the connection of the page being read.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _current.Response.Dispose();
        }
    }

    private async Task<QueryPage> OpenNextAsync(string token, CancellationToken ct)
    {
        lock (_lock)
            _current.Response.Dispose();
        var page = await open(token, ct).ConfigureAwait(false);
        lock (_lock)
        {
            _current = page;
            if (_disposed)
                page.Response.Dispose();
        }
        return page;
    }
}
