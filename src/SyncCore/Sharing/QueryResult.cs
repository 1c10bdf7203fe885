using System.Runtime.CompilerServices;

namespace ReplicaSync.Sharing;

/// <summary>An open query response: its version and format from the headers, and its lines streamed from the body.</summary>
public sealed class QueryResult : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Func<CancellationToken, IAsyncEnumerable<SharingLine>> _read;
    private readonly CancellationToken _queryToken;
    private int _enumerated;

    internal QueryResult(long version, ResponseFormat format, HttpResponseMessage response,
        Func<CancellationToken, IAsyncEnumerable<SharingLine>> read, CancellationToken queryToken)
    {
        Version = version;
        Format = format;
        _response = response;
        _read = read;
        _queryToken = queryToken;
    }

    /// <summary>The <c>Delta-Table-Version</c> header: the snapshot version, or the starting version of a change query.</summary>
    public long Version { get; }

    /// <summary>The format the server answered in (it may be parquet although delta was asked for).</summary>
    public ResponseFormat Format { get; }

    /// <summary>The response lines in order, parsed as they arrive; can be enumerated only once, since the body is not buffered.</summary>
    public IAsyncEnumerable<SharingLine> Lines => ReadOnceAsync();

    /// <summary>Closes the response; any lines not read yet are abandoned.</summary>
    public ValueTask DisposeAsync()
    {
        _response.Dispose();
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
            await foreach (var line in _read(linked.Token).ConfigureAwait(false))
                yield return line;
        }
        finally
        {
            // Free the connection as soon as reading stops, even if the caller forgets to dispose.
            _response.Dispose();
        }
    }
}
