using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>
/// The list and get endpoints for shares, schemas and tables, paged by <c>maxResults</c>/<c>pageToken</c>, each showing
/// only what is granted to the request's recipient.
/// </summary>
internal sealed class ListEndpoints(ServerContext server)
{
    private const string PagePurpose = "list-page";

    public Task SharesAsync(HttpContext http) =>
        WritePageAsync(http, "shares\n" + RecipientOf(http).Name, server.Catalog.SharesOf(RecipientOf(http)), WriteShare);

    public Task ShareAsync(HttpContext http)
    {
        var share = server.Catalog.Share(Route(http, "share"), RecipientOf(http));
        return HttpResponses.WriteJsonAsync(http.Response, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("share");
            WriteShare(w, share);
            w.WriteEndObject();
        }, http.RequestAborted);
    }

    public Task SchemasAsync(HttpContext http)
    {
        var share = server.Catalog.Share(Route(http, "share"), RecipientOf(http));
        return WritePageAsync(http, "schemas\n" + share.Id, share.Schemas, (w, schema) =>
        {
            w.WriteStartObject();
            w.WriteString("name", schema.Name);
            w.WriteString("share", schema.Share);
            w.WriteEndObject();
        });
    }

    public Task TablesAsync(HttpContext http)
    {
        var schema = server.Catalog.Schema(Route(http, "share"), Route(http, "schema"), RecipientOf(http));
        var share = server.Catalog.Share(schema.Share, RecipientOf(http));
        return WritePageAsync(http, $"tables\n{share.Id}\n{schema.Name.ToLowerInvariant()}", schema.Tables, WriteTable);
    }

    public Task AllTablesAsync(HttpContext http)
    {
        var share = server.Catalog.Share(Route(http, "share"), RecipientOf(http));
        return WritePageAsync(http, "all-tables\n" + share.Id, share.Schemas.SelectMany(s => s.Tables).ToList(), WriteTable);
    }

    /// <summary>
    /// One page of <paramref name="items"/>. The token is signed and names the list it belongs to, so a token
    /// from another list (or another share) is refused instead of silently skipping items.
    /// </summary>
    private async Task WritePageAsync<T>(HttpContext http, string listId, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> writeItem)
    {
        var maxPage = server.Config.MaxPageSize;
        var maxResults = RequestParameters.Int(http.Request, "maxResults") ?? maxPage;
        if (maxResults < 0 || maxResults > maxPage)
            throw SharingException.InvalidParameter($"maxResults must be between 0 and {maxPage}");
        var offset = 0;
        if (RequestParameters.String(http.Request, "pageToken") is { Length: > 0 } token)
        {
            var page = server.Signer.DecodeToken(PagePurpose, token, TokenJsonContext.Default.ListPageToken);
            if (page is null || page.ListId != listId || page.Offset < 0)
                throw SharingException.InvalidParameter("pageToken is not valid for this list");
            offset = Math.Min(page.Offset, items.Count);
        }
        var end = (int)Math.Min((long)offset + maxResults, items.Count);
        var next = end < items.Count ? server.Signer.EncodeToken(PagePurpose, new ListPageToken(listId, end), TokenJsonContext.Default.ListPageToken) : null;

        await HttpResponses.WriteJsonAsync(http.Response, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("items");
            for (var i = offset; i < end; i++)
                writeItem(w, items[i]);
            w.WriteEndArray();
            if (next is not null)
                w.WriteString("nextPageToken", next);
            w.WriteEndObject();
        }, http.RequestAborted);
    }

    private static void WriteShare(Utf8JsonWriter w, ShareEntry share)
    {
        w.WriteStartObject();
        w.WriteString("name", share.Name);
        w.WriteString("id", share.Id);
        w.WriteEndObject();
    }

    private static void WriteTable(Utf8JsonWriter w, SharedTable table)
    {
        w.WriteStartObject();
        w.WriteString("name", table.Name);
        w.WriteString("schema", table.Schema);
        w.WriteString("share", table.Share);
        w.WriteString("shareId", table.ShareId);
        w.WriteString("id", table.Id);
        w.WriteEndObject();
    }

    private static string Route(HttpContext http, string name) => (string)http.Request.RouteValues[name]!;

    // The pipeline authenticated the request before any list endpoint runs.
    private static Recipient RecipientOf(HttpContext http) => RequestAudit.Of(http).Recipient!;

    internal sealed record ListPageToken(string ListId, int Offset);
}
