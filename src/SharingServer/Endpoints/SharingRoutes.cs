using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace ReplicaSync.SharingServer;

/// <summary>Maps the protocol's endpoints under the configured prefix.</summary>
internal static class SharingRoutes
{
    public static void Map(IEndpointRouteBuilder app, ServerContext context)
    {
        var p = context.Prefix;
        var lists = new ListEndpoints(context);
        var tables = new TableEndpoints(context);
        var query = new QueryEndpoint(context);
        var files = new FileEndpoint(context);
        var list = new EndpointKind(RequestKind.List);
        var version = new EndpointKind(RequestKind.Version);
        const string table = "/shares/{share}/schemas/{schema}/tables/{table}";

        app.MapGet(p + "/shares", lists.SharesAsync).WithMetadata(list);
        app.MapGet(p + "/shares/{share}", lists.ShareAsync).WithMetadata(list);
        app.MapGet(p + "/shares/{share}/schemas", lists.SchemasAsync).WithMetadata(list);
        app.MapGet(p + "/shares/{share}/schemas/{schema}/tables", lists.TablesAsync).WithMetadata(list);
        app.MapGet(p + "/shares/{share}/all-tables", lists.AllTablesAsync).WithMetadata(list);
        app.MapGet(p + table + "/version", tables.VersionAsync).WithMetadata(version);
        app.MapMethods(p + table, ["HEAD"], tables.HeadAsync).WithMetadata(version);
        app.MapGet(p + table + "/metadata", tables.MetadataAsync).WithMetadata(new EndpointKind(RequestKind.Metadata));
        app.MapPost(p + table + "/query", query.HandleAsync).WithMetadata(new EndpointKind(RequestKind.Query));
        app.MapGet(p + table + "/changes", query.ChangesAsync).WithMetadata(new EndpointKind(RequestKind.Changes));
        app.MapMethods(p + "/files/{**path}", ["GET", "HEAD"], files.HandleAsync).WithMetadata(new EndpointKind(RequestKind.File));
        app.MapPost(p + "/oauth/token", new TokenEndpoint(context).HandleAsync).WithMetadata(new EndpointKind(RequestKind.Token));
        app.MapFallback(RequestPipeline.NotFoundAsync);
    }
}
