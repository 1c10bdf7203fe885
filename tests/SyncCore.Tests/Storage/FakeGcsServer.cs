using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// An in-process GCS JSON API on 127.0.0.1 for what the emulator lacks: <c>ifGenerationMatch=0</c> (412 when the
/// object exists) and multi-chunk resumable uploads (308 with a Range header, <c>bytes */*</c> status queries,
/// cancel with DELETE). It records every request and can fail a chunk after persisting part of it.
/// </summary>
internal sealed partial class FakeGcsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _objects = new();
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly ConcurrentQueue<Recorded> _requests = new();
    private int _chunkPuts;

    private FakeGcsServer(WebApplication app)
    {
        _app = app;
        app.Run(HandleAsync);
    }

    /// <summary>A request as sent: method, path and query, and the headers the protocol cares about.</summary>
    public sealed record Recorded(string Method, string PathAndQuery, string? ContentRange, string? Authorization, int BodyLength);

    private sealed class Session(string name)
    {
        public string Name { get; } = name;
        public MemoryStream Data { get; } = new();
        public bool Cancelled { get; set; }
    }

    /// <summary>The JSON API root.</summary>
    public Uri Endpoint => new(_app.Urls.First().TrimEnd('/') + "/");

    public IReadOnlyList<Recorded> Requests => [.. _requests];

    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    /// <summary>Sessions cancelled with DELETE.</summary>
    public int CancelledSessions => _sessions.Values.Count(s => s.Cancelled);

    /// <summary>The 1-based data PUT that fails with 503 after persisting <see cref="PersistBeforeFailure"/> bytes of it.</summary>
    public int? FailChunkPut { get; set; }

    public int PersistBeforeFailure { get; set; }

    /// <summary>Most bytes persisted from one chunk PUT (GCS may keep less than it was sent).</summary>
    public int? PersistAtMost { get; set; }

    /// <summary>Store the next media upload but answer it 503, as when GCS applied a request whose answer was lost.</summary>
    public bool LoseNextUploadAnswer { get; set; }

    /// <summary>Answer the next media upload 503 without storing it (a transient failure).</summary>
    public bool FailNextUpload { get; set; }

    /// <summary>Answer every request 401, with a body that echoes the Authorization header as a careless server might.</summary>
    public bool RejectCredentials { get; set; }

    public static async Task<FakeGcsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        var server = new FakeGcsServer(builder.Build());
        await server._app.StartAsync();
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var authorization = request.Headers.Authorization.FirstOrDefault();
        var contentRange = request.Headers.ContentRange.FirstOrDefault();
        _requests.Enqueue(new Recorded(request.Method, request.Path + request.QueryString, contentRange, authorization, (int)body.Length));
        var response = context.Response;
        if (RejectCredentials)
        {
            response.StatusCode = 401;
            await response.WriteAsJsonAsync(new { error = new { code = 401, message = $"Invalid Credentials (got '{authorization}')" } });
            return;
        }
        var path = request.Path.Value!;
        if (request.Method == "POST" && path.StartsWith("/upload/storage/v1/b/", StringComparison.Ordinal))
        {
            var name = request.Query["name"].ToString();
            if (request.Query["uploadType"] == "resumable")
            {
                var id = Guid.NewGuid().ToString("N");
                _sessions[id] = new Session(name);
                response.Headers.Location = $"{Endpoint}upload/session?upload_id={id}";
                return;
            }
            if (FailNextUpload)
            {
                FailNextUpload = false;
                response.StatusCode = 503;
                return;
            }
            if (request.Query["ifGenerationMatch"] == "0" && _objects.ContainsKey(name))
            {
                response.StatusCode = 412;
                await response.WriteAsJsonAsync(new { error = new { code = 412, message = "At least one of the pre-conditions you specified did not hold." } });
                return;
            }
            _objects[name] = body.ToArray();
            if (LoseNextUploadAnswer)
            {
                LoseNextUploadAnswer = false;
                response.StatusCode = 503;
                return;
            }
            await response.WriteAsJsonAsync(new { name, size = body.Length.ToString() });
            return;
        }
        if (path == "/upload/session" && _sessions.TryGetValue(request.Query["upload_id"].ToString(), out var session))
        {
            if (request.Method == "DELETE")
            {
                session.Cancelled = true;
                response.StatusCode = 499;
                return;
            }
            await ChunkAsync(session, contentRange ?? "", body.ToArray(), response);
            return;
        }
        const string objects = "/storage/v1/b/";
        if (request.Method == "GET" && path.StartsWith(objects, StringComparison.Ordinal) && request.Query["alt"] == "media"
            && _objects.TryGetValue(Uri.UnescapeDataString(path[(path.IndexOf("/o/", StringComparison.Ordinal) + 3)..]), out var data))
        {
            await response.Body.WriteAsync(data);
            return;
        }
        response.StatusCode = 404;
    }

    private async Task ChunkAsync(Session session, string contentRange, byte[] body, HttpResponse response)
    {
        var match = ContentRangePattern().Match(contentRange);
        if (!match.Success || session.Cancelled)
        {
            response.StatusCode = 400;
            return;
        }
        long? total = match.Groups["total"].Value == "*" ? null : long.Parse(match.Groups["total"].Value);
        if (match.Groups["from"].Success)
        {
            var from = long.Parse(match.Groups["from"].Value);
            if (from > session.Data.Length || long.Parse(match.Groups["to"].Value) - from + 1 != body.Length)
            {
                response.StatusCode = 400;
                return;
            }
            // Bytes already persisted are skipped, as GCS does when a client resends them.
            var fresh = body.AsSpan((int)(session.Data.Length - from));
            if (Interlocked.Increment(ref _chunkPuts) == FailChunkPut)
            {
                session.Data.Write(fresh[..Math.Min(PersistBeforeFailure, fresh.Length)]);
                response.StatusCode = 503;
                return;
            }
            var keep = total is null && PersistAtMost is { } most ? Math.Min(most, fresh.Length) : fresh.Length;
            session.Data.Write(fresh[..keep]);
        }
        if (total is { } t && session.Data.Length == t)
        {
            _objects[session.Name] = session.Data.ToArray();
            await response.WriteAsJsonAsync(new { name = session.Name, size = t.ToString() });
            return;
        }
        response.StatusCode = 308;
        if (session.Data.Length > 0)
            response.Headers["Range"] = $"bytes=0-{session.Data.Length - 1}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(@"^bytes (?:(?<from>\d+)-(?<to>\d+)|\*)/(?<total>\d+|\*)$")]
    private static partial Regex ContentRangePattern();
}
