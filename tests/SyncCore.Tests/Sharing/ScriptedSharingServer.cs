using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReplicaSync.Sharing;

namespace ReplicaSync.Tests.Sharing;

/// <summary>
/// A Kestrel server on 127.0.0.1 (random port) that answers Delta Sharing routes with canned responses set per test,
/// records every request it sees, and can stream a body line by line under the test's control.
/// </summary>
public sealed class ScriptedSharingServer : IAsyncDisposable
{
    /// <summary>The endpoint's path prefix, so the client's prefix handling is exercised too.</summary>
    public const string Prefix = "/delta-sharing";

    /// <summary>The bearer token of <see cref="Profile"/>; no exception message may ever contain it.</summary>
    public const string Token = "tok-S3CRET-9f8e7d6c5b4a";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<Request, int, Response>> _routes = new();
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly List<Request> _requests = [];

    private ScriptedSharingServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The profile endpoint, e.g. <c>http://127.0.0.1:41234/delta-sharing</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Every request seen so far, in arrival order.</summary>
    public IReadOnlyList<Request> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    /// <summary>Fast retry settings so retry tests take milliseconds.</summary>
    public static SharingClientOptions FastOptions => new()
    {
        MaxRetries = 3,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(20),
    };

    public static async Task<ScriptedSharingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ScriptedSharingServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server = new ScriptedSharingServer(app, new Uri(address.TrimEnd('/') + Prefix));
        return server;
    }

    /// <summary>A profile for this server; pass an expiration to test the expired-token hint.</summary>
    public SharingProfile Profile(DateTimeOffset? expiration = null) => new(1, Endpoint, Token, expiration);

    /// <summary>A client on this server with <see cref="FastOptions"/> unless told otherwise.</summary>
    public SharingClient Client(SharingClientOptions? options = null, HttpClient? http = null) =>
        new(Profile(), http, options ?? FastOptions);

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> (relative to the prefix, decoded) with a handler
    /// that gets the request and how many times the route was hit, counting from 1.</summary>
    public void Route(string method, string path, Func<Request, int, Response> handler) => _routes[$"{method} {path}"] = handler;

    /// <summary>Answers the n-th request with the n-th response; the last one repeats.</summary>
    public void Route(string method, string path, params Response[] responses) =>
        Route(method, path, (_, hit) => responses[Math.Min(hit, responses.Length) - 1]);

    /// <summary>The requests seen for one path.</summary>
    public IReadOnlyList<Request> RequestsTo(string path) => Requests.Where(r => r.Path == path).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var http = context.Request;
        using var reader = new StreamReader(http.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = http.Path.Value ?? "";
        var request = new Request(
            http.Method,
            path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..] : path,
            context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
            http.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            DateTimeOffset.UtcNow);
        lock (_requests)
            _requests.Add(request);
        var key = $"{request.Method} {request.Path}";
        var response = path.StartsWith(Prefix, StringComparison.Ordinal) && _routes.TryGetValue(key, out var handler)
            ? handler(request, _hits.AddOrUpdate(key, 1, (_, n) => n + 1))
            : Response.Json(404, $$"""{"errorCode":"RESOURCE_DOES_NOT_EXIST","message":"no route for {{key}}"}""");
        await response.WriteAsync(context);
    }

    /// <summary>One request as the server saw it; <see cref="Path"/> is decoded and relative to the prefix.</summary>
    public sealed record Request(
        string Method,
        string Path,
        string RawTarget,
        IReadOnlyDictionary<string, string> Query,
        IReadOnlyDictionary<string, string> Headers,
        string Body,
        DateTimeOffset ReceivedAt)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>A canned response: status, headers, and a body writer that may flush, wait or abort between lines.</summary>
    public sealed class Response
    {
        private readonly Func<HttpContext, Task> _writeBody;

        private Response(int status, string? contentType, Func<HttpContext, Task> writeBody)
        {
            Status = status;
            _writeBody = writeBody;
            if (contentType is not null)
                Headers["Content-Type"] = contentType;
        }

        public int Status { get; }

        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public static Response Json(int status, string json) =>
            new(status, "application/json; charset=utf-8", c => c.Response.WriteAsync(json));

        public static Response Text(int status, string text, string contentType = "text/plain") =>
            new(status, contentType, c => c.Response.WriteAsync(text));

        public static Response Empty(int status) => new(status, null, _ => Task.CompletedTask);

        /// <summary>An NDJSON body; <paramref name="capabilities"/> null sends no capabilities header (a legacy server).</summary>
        public static Response Ndjson(long? version, string? capabilities, params string[] lines) =>
            Streamed(version, capabilities, async (write, _) =>
            {
                foreach (var line in lines)
                    await write(line);
            });

        /// <summary>An NDJSON body written by <paramref name="script"/>; each write sends one line and flushes it.</summary>
        public static Response Streamed(long? version, string? capabilities, Func<Func<string, Task>, HttpContext, Task> script)
        {
            var response = new Response(200, "application/x-ndjson; charset=utf-8", context => script(async line =>
            {
                await context.Response.WriteAsync(line + "\n");
                await context.Response.Body.FlushAsync();
            }, context));
            if (version is { } v)
                response.Headers["Delta-Table-Version"] = v.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (capabilities is not null)
                response.Headers["delta-sharing-capabilities"] = capabilities;
            return response;
        }

        public Response With(string header, string value)
        {
            Headers[header] = value;
            return this;
        }

        internal async Task WriteAsync(HttpContext context)
        {
            context.Response.StatusCode = Status;
            foreach (var (name, value) in Headers)
                context.Response.Headers[name] = value;
            await _writeBody(context);
        }
    }
}
