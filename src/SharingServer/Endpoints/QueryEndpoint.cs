using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReplicaSync.SharingServer;

/// <summary>
/// <c>POST …/tables/{table}/query</c>: validates the body, then streams a snapshot or a change range; and
/// <c>GET …/tables/{table}/changes</c>: the change data feed.
/// </summary>
internal sealed class QueryEndpoint(ServerContext server)
{
    public async Task HandleAsync(HttpContext http)
    {
        var table = server.RouteTable(http.Request);
        var request = await QueryRequest.ReadAsync(http.Request, http.RequestAborted);
        request.Validate(table);

        using var query = new QueryContext(server, http, table, request, await server.UrlSignerAsync(http, table));
        var page = request.PageToken is { } token ? server.Tokens.DecodePage(token, table, query.Checksum) : null;
        try
        {
            if (request.StartingVersion is not null)
                await ChangesQuery.RunAsync(query, page);
            else
                await SnapshotQuery.RunAsync(query, page);
        }
        catch (Exception e) when (query.Started && !http.RequestAborted.IsCancellationRequested)
        {
            await FailMidStreamAsync(query, e);
        }
    }

    /// <summary>The change data feed of a table that shares its history.</summary>
    public async Task ChangesAsync(HttpContext http)
    {
        var table = server.RouteTable(http.Request);
        var request = ChangesRequest.Read(http.Request);
        table.RequireHistory("changes");
        using var query = new QueryContext(server, http, table, QueryRequest.Paging(request.MaxFiles), await server.UrlSignerAsync(http, table), request.Checksum(http.Request));
        var page = request.PageToken is { } token ? server.Tokens.DecodePage(token, table, query.Checksum) : null;
        try
        {
            await ChangeDataQuery.RunAsync(query, request, page);
        }
        catch (Exception e) when (query.Started && !http.RequestAborted.IsCancellationRequested)
        {
            await FailMidStreamAsync(query, e);
        }
    }

    /// <summary>
    /// Once lines are written the status is fixed. A client that asked for endStreamAction learns of the failure
    /// through its errorMessage; any other client gets a broken connection, never a silently short response.
    /// </summary>
    private async Task FailMidStreamAsync(QueryContext query, Exception error)
    {
        var (status, message) = error is SharingException se ? (se.Status, se.Message) : (500, "internal error while streaming the response");
        if (error is not SharingException)
            server.Logger.LogError(error, "query on {Share}.{Schema}.{Table} failed mid-stream", query.Table.Share, query.Table.Schema, query.Table.Name);
        if (query.Options?.IncludeEndStreamAction == true)
        {
            query.Lines.EndStream(nextPageToken: null, refreshToken: null, message, status);
            await query.Output.FlushAsync(query.Aborted);
        }
        else
        {
            query.Http.Abort();
        }
    }
}
