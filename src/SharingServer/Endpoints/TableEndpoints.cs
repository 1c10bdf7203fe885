using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>Table version (<c>GET …/version</c>, deprecated <c>HEAD …/tables/{t}</c>) and table metadata.</summary>
internal sealed class TableEndpoints(ServerContext server)
{
    /// <summary>Empty body and <c>Delta-Table-Version</c>: latest, or the first version at or after <c>startingTimestamp</c>.</summary>
    public async Task VersionAsync(HttpContext http)
    {
        var table = server.RouteTable(http.Request);
        long version;
        if (RequestParameters.String(http.Request, "startingTimestamp") is { } text)
        {
            table.RequireHistory("startingTimestamp");
            version = await table.VersionAtOrAfterAsync(RequestParameters.Timestamp("startingTimestamp", text), http.RequestAborted);
        }
        else
        {
            version = await table.LatestVersionAsync(http.RequestAborted);
        }
        SetVersion(http.Response, version);
    }

    /// <summary>The deprecated HEAD form: the latest version in the header only.</summary>
    public async Task HeadAsync(HttpContext http)
    {
        var table = server.RouteTable(http.Request);
        SetVersion(http.Response, await table.LatestVersionAsync(http.RequestAborted));
    }

    /// <summary>Exactly two NDJSON lines, protocol then metaData, at the latest, <c>version</c> or <c>timestamp</c>.</summary>
    public async Task MetadataAsync(HttpContext http)
    {
        var table = server.RouteTable(http.Request);
        var ct = http.RequestAborted;
        var requestedVersion = RequestParameters.Long(http.Request, "version");
        var timestamp = RequestParameters.String(http.Request, "timestamp");
        if (requestedVersion is not null && timestamp is not null)
            throw SharingException.InvalidParameter("only one of version and timestamp may be set");
        RequestParameters.RequireNonNegative("version", requestedVersion);
        if (requestedVersion is not null)
            table.RequireHistory("version");
        if (timestamp is not null)
            table.RequireHistory("timestamp");

        var pinned = requestedVersion
            ?? (timestamp is not null ? await table.VersionAsOfAsync(RequestParameters.Timestamp("timestamp", timestamp), ct) : null);
        var snapshot = await table.SnapshotAsync(pinned, ct);
        var version = snapshot.Version;

        var options = ResponseOptions.Negotiate(http.Request, snapshot.Protocol!, snapshot.Metadata!);
        http.Response.ContentType = HttpResponses.NdjsonContentType;
        SetVersion(http.Response, version);
        options.WriteHeaders(http.Response);
        using var output = new NdjsonWriter(http.Response);
        var lines = LineWriter.Create(output, await server.UrlSignerAsync(http, table), options, table);
        lines.Protocol(snapshot.Protocol!, null);
        var timeTravel = requestedVersion is not null || timestamp is not null;
        lines.Metadata(snapshot.Metadata!, timeTravel ? version : null, snapshot);
        await output.FlushAsync(ct);
        await table.KeepAsync(snapshot, ct);
    }

    private static void SetVersion(HttpResponse response, long version) =>
        response.Headers[HttpResponses.TableVersionHeader] = version.ToString(CultureInfo.InvariantCulture);
}
