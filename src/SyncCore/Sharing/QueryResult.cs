using System.Runtime.CompilerServices;

namespace ReplicaSync.Sharing;

/// <summary>An open query response: its version and format from the headers, and its lines streamed from the body, across pages.</summary>
public sealed class QueryResult : IAsyncDisposable
{
    private readonly QueryPages _pages;
    private readonly CancellationToken _queryToken;
    private int _enumerated;

    internal QueryResult(long version, ResponseFormat format, QueryPages pages, CancellationToken queryToken)
    {
        Version = version;
        Format = format;
        _pages = pages;
        _queryToken = queryToken;
    }

    /// <summary>The <c>Delta-Table-Version</c> header: the snapshot version, or the starting version of a change query.</summary>
    public long Version { get; }

    /// <summary>The format the server answered in (it may be parquet although delta was asked for).</summary>
    public ResponseFormat Format { get; }

    /// <summary>
    /// The response lines in order, parsed as they arrive; can be enumerated only once, since the body is not buffered.
    /// A paged response gives protocol and metaData once and an endStreamAction at the end of every page.
    /// </summary>
    public IAsyncEnumerable<SharingLine> Lines => ReadOnceAsync();

    /// <summary>Closes the response; any lines not read yet are abandoned.</summary>
    public ValueTask DisposeAsync()
    {
        _pages.Dispose();
        return ValueTask.CompletedTask;
    }

    private async IAsyncEnumerable<SharingLine> ReadOnceAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
            throw new InvalidOperationException("QueryResult.Lines can be enumerated only once; re-issue the query to read it again");
        // The token given to QueryAsync keeps governing the body, as well as the one given to the enumeration.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _queryToken);
        try
        {
            await foreach (var line in _pages.ReadAsync(linked.Token).ConfigureAwait(false))
                yield return line;
        }
        finally
        {
            // Free the connection as soon as reading stops, even if the caller forgets to dispose.
            _pages.Dispose();
        }
    }
}
