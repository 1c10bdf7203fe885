using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ReplicaSync.Delta;
using ReplicaSync.Sharing;

namespace ReplicaSync.Sync;

/// <summary>
/// A snapshot query read as a stream: its head (version, protocol, metaData) at once, then its file lines page by
/// page. A reader runs one page ahead of the consumer: it reads a whole page off the connection, hands it over, and
/// asks for the next only once the consumer has taken it, so memory holds at most two pages (the one being consumed
/// lets go of each line as it is taken) and no request stays open while the copy is slow. A provider that ignores
/// maxFiles is streamed in chunks of a page instead.
/// </summary>
internal sealed class SnapshotListing : IAsyncDisposable
{
    private readonly QueryResult _result;
    private readonly CancellationTokenSource _reading;
    private readonly IAsyncEnumerator<SharingLine> _lines;
    private readonly int _pageSize;
    private int _disposed;

    private SnapshotListing(QueryResult result, QueryRequest request, CancellationTokenSource reading, int pageSize)
    {
        Request = request;
        _result = result;
        _reading = reading;
        // The listing's own token, so a consumer that stops early also stops a read waiting on the connection.
        _lines = result.Lines.GetAsyncEnumerator(reading.Token);
        _pageSize = pageSize;
    }

    /// <summary>The query this listing runs.</summary>
    public QueryRequest Request { get; }

    public long Version => _result.Version;
    public Protocol? Protocol { get; private set; }
    public MetadataLine? Metadata { get; private set; }

    /// <summary>Told every refresh token the listing's pages carry.</summary>
    public Action<string>? RefreshTokenSeen { get; init; }

    /// <summary>Runs <paramref name="request"/> (its maxFiles sets the page size) and reads the head.</summary>
    public static async Task<SnapshotListing> OpenAsync(SharingClient client, TableAddress table, QueryRequest request, Action<string>? refreshTokenSeen,
        CancellationToken ct)
    {
        var result = await client.QueryAsync(table, request, ResponseFormat.Delta, ct);
        var listing = new SnapshotListing(result, request, CancellationTokenSource.CreateLinkedTokenSource(ct), Math.Max(1, request.MaxFiles ?? SyncOptions.DefaultPageSize))
        {
            RefreshTokenSeen = refreshTokenSeen,
        };
        var lines = listing._lines;
        try
        {
            // The line stream has already checked that a response starts with protocol and metaData.
            for (var i = 0; i < 2 && await lines.MoveNextAsync(); i++)
            {
                if (lines.Current is ProtocolLine p)
                    listing.Protocol = p.Protocol;
                else if (lines.Current is MetadataLine m)
                    listing.Metadata = m;
            }
            return listing;
        }
        catch
        {
            await listing.DisposeAsync();
            throw;
        }
    }

    /// <summary>The snapshot's protocol and metaData, which a replica version needs; a clear error when one is missing.</summary>
    public (Protocol Protocol, Metadata Metadata) RequireHead(TableAddress table) =>
        Protocol is { } protocol && Metadata?.Metadata is { } metadata
            ? (protocol, metadata)
            : throw new SyncException($"the provider's snapshot of {table.QualifiedName} at version {Version} has no protocol or metaData");

    /// <summary>The add lines of every page, in order; enumerate once.</summary>
    public async IAsyncEnumerable<FileLine> FilesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var pages = Channel.CreateBounded<List<FileLine?>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ReadPagesAsync(pages.Writer, _reading.Token), CancellationToken.None);
        try
        {
            await foreach (var page in pages.Reader.ReadAllAsync(ct))
            {
                for (var i = 0; i < page.Count; i++)
                {
                    var file = page[i]!;
                    page[i] = null;
                    yield return file;
                }
            }
            await reader;
        }
        finally
        {
            await _reading.CancelAsync();
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Stops reading and releases the connection; disposing twice is harmless.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _reading.CancelAsync();
        await _lines.DisposeAsync();
        await _result.DisposeAsync();
        _reading.Dispose();
    }

    private async Task ReadPagesAsync(ChannelWriter<List<FileLine?>> pages, CancellationToken ct)
    {
        try
        {
            var page = new List<FileLine?>(_pageSize);
            while (await _lines.MoveNextAsync())
            {
                switch (_lines.Current)
                {
                    case FileLine { Kind: FileActionKind.Add } file:
                        // More lines than a page: the provider ignores maxFiles, so hand them over in page-sized chunks.
                        if (page.Count == _pageSize)
                            page = await HandOverAsync(pages, page, ct);
                        page.Add(file);
                        break;
                    case EndStreamLine end:
                        if (end.RefreshToken is { } token)
                            RefreshTokenSeen?.Invoke(token);
                        page = await HandOverAsync(pages, page, ct);
                        break;
                }
            }
            await HandOverAsync(pages, page, ct);
        }
        finally
        {
            // The consumer then learns of a failure from awaiting this task.
            pages.TryComplete();
        }
    }

    /// <summary>Hands a page over and returns once the consumer has taken it, with an empty page to fill next.</summary>
    private static async Task<List<FileLine?>> HandOverAsync(ChannelWriter<List<FileLine?>> pages, List<FileLine?> page, CancellationToken ct)
    {
        if (page.Count == 0)
            return page;
        await pages.WriteAsync(page, ct);
        // The channel holds one page: it has room again exactly when the consumer has taken this one.
        await pages.WaitToWriteAsync(ct);
        return new List<FileLine?>(page.Count);
    }
}
