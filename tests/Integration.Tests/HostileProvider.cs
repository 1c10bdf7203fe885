using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReplicaSync.Sharing;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// A Delta Sharing endpoint on 127.0.0.1 that answers with whatever NDJSON a test scripts (given the server's base URL, for file URLs) (hostile ids, hostile
/// partition values, malformed lines), serving data files from memory. Used where a well-behaved server cannot
/// produce the input under test.
/// </summary>
internal sealed class HostileProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _dir = new("hostile");

    public HostileProvider(long version, Func<string, string> queryBody, IReadOnlyDictionary<string, byte[]> files)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/p/shares/s/schemas/d/tables/t/version", (HttpContext ctx) =>
        {
            ctx.Response.Headers["Delta-Table-Version"] = version.ToString();
            return Results.Ok();
        });
        _app.MapPost("/p/shares/s/schemas/d/tables/t/query", (HttpContext ctx) =>
        {
            ctx.Response.Headers["Delta-Table-Version"] = "0";
            return Results.Text(queryBody(BaseUrl), "application/x-ndjson", Encoding.UTF8);
        });
        // The metadata answer is the scripted body's first two lines (protocol, metaData).
        _app.MapGet("/p/shares/s/schemas/d/tables/t/metadata", (HttpContext ctx) =>
        {
            ctx.Response.Headers["Delta-Table-Version"] = version.ToString();
            var head = string.Join("\n", queryBody(BaseUrl).Split('\n').Take(2)) + "\n";
            return Results.Text(head, "application/x-ndjson", Encoding.UTF8);
        });
        _app.MapGet("/files/{name}", (string name) => files.TryGetValue(name, out var bytes)
            ? Results.Bytes(bytes, "application/octet-stream")
            : Results.NotFound());
    }

    public string BaseUrl { get; private set; } = "";

    public async Task<TableAddress> StartAsync()
    {
        await _app.StartAsync();
        BaseUrl = _app.Urls.First();
        var profile = _dir.Combine("hostile.share");
        await File.WriteAllTextAsync(profile, $$"""{"shareCredentialsVersion":1,"endpoint":"{{BaseUrl}}/p","bearerToken":"hostile-token"}""");
        return TableAddress.Parse(profile + "#s.d.t");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}
