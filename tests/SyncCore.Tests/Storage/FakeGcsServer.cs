using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReplicaSync.Integrity;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// An in-process GCS JSON API on 127.0.0.1 for what the emulator lacks: <c>ifGenerationMatch=0</c> (412 when the
/// object exists, at the session's start and again when its last chunk lands) and multi-chunk resumable uploads
/// (308 with a Range header, <c>bytes */*</c> status queries, the CRC32C check of the last
/// chunk's <c>x-goog-hash</c>). It records every request and can
/// fail a chunk after persisting part of it, or lose the answer to a finished upload.
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
    public sealed record Recorded(string Method, string PathAndQuery, string? ContentRange, string? Authorization, int BodyLength, string? Hash);

    private sealed class Session(string name, bool ifAbsent)
    {
        public string Name { get; } = name;
        public bool IfAbsent { get; } = ifAbsent;
        public MemoryStream Data { get; } = new();
        public bool Finished { get; set; }
    }

    /// <summary>The JSON API root.</summary>
    public Uri Endpoint => new(_app.Urls.First().TrimEnd('/') + "/");

    public IReadOnlyList<Recorded> Requests => [.. _requests];

    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    /// <summary>The 1-based data PUTs that fail with 503, each after persisting <see cref="PersistBeforeFailure"/> bytes of it.</summary>
    public Func<int, bool> FailChunkPut { get; set; } = _ => false;

    public int PersistBeforeFailure { get; set; }

    /// <summary>Most bytes persisted from one chunk PUT (GCS may keep less than it was sent).</summary>
    public int? PersistAtMost { get; set; }

    /// <summary>Publish the next finished upload but answer its last chunk 503, as when GCS's answer was lost.</summary>
    public bool LoseNextFinishAnswer { get; set; }

    /// <summary>Another writer creates the object (with these bytes) just after the next session starts.</summary>
    public byte[]? RaceNextSession { get; set; }

    /// <summary>Answer every PUT to a session 503, status queries included (GCS's upload service is down).</summary>
    public bool UploadsUnavailable { get; set; }

    /// <summary>Statuses the next object reads are answered with, one each, before reads are served again.</summary>
    public ConcurrentQueue<int> ReadFailures { get; } = new();

    /// <summary>Statuses the next upload session starts are answered with, one each (throttling: 429).</summary>
    public ConcurrentQueue<int> StartFailures { get; } = new();

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
        _requests.Enqueue(new Recorded(request.Method, request.Path + request.QueryString, contentRange, authorization, (int)body.Length, request.Headers["x-goog-hash"].FirstOrDefault()));
        var response = context.Response;
        if (RejectCredentials)
        {
            response.StatusCode = 401;
            await response.WriteAsJsonAsync(new { error = new { code = 401, message = $"Invalid Credentials (got '{authorization}')" } });
            return;
        }
        var path = request.Path.Value!;
        if ((request.Method == "GET" && request.Query["alt"] == "media" && ReadFailures.TryDequeue(out var failure))
            || (request.Method == "POST" && StartFailures.TryDequeue(out failure)))
        {
            response.StatusCode = failure;
            await response.WriteAsJsonAsync(new { error = new { code = failure, message = "The service is currently unavailable." } });
            return;
        }
        if (request.Method == "POST" && path.StartsWith("/upload/storage/v1/b/", StringComparison.Ordinal) && request.Query["uploadType"] == "resumable")
        {
            // The client names the object in the JSON metadata of the session's start, gzipped as Google's clients do.
            var name = JsonDocument.Parse(Metadata(request, body.ToArray())).RootElement.GetProperty("name").GetString()!;
            var ifAbsent = request.Query["ifGenerationMatch"] == "0";
            if (ifAbsent && _objects.ContainsKey(name))
            {
                await PreconditionFailedAsync(response);
                return;
            }
            var id = Guid.NewGuid().ToString("N");
            _sessions[id] = new Session(name, ifAbsent);
            if (RaceNextSession is { } theirs)
            {
                RaceNextSession = null;
                _objects[name] = theirs;
            }
            response.Headers.Location = $"{Endpoint}upload/session?upload_id={id}";
            return;
        }
        if (path == "/upload/session" && _sessions.TryGetValue(request.Query["upload_id"].ToString(), out var session))
        {
            await ChunkAsync(session, contentRange ?? "", body.ToArray(), request.Headers["x-goog-hash"].FirstOrDefault(), response);
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

    private async Task ChunkAsync(Session session, string contentRange, byte[] body, string? hash, HttpResponse response)
    {
        var match = ContentRangePattern().Match(contentRange);
        if (!match.Success)
        {
            response.StatusCode = 400;
            return;
        }
        if (UploadsUnavailable)
        {
            response.StatusCode = 503;
            return;
        }
        long? total = match.Groups["total"].Value == "*" ? null : long.Parse(match.Groups["total"].Value);
        if (session.Finished)
        {
            await FinishedAsync(session, response);
            return;
        }
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
            if (FailChunkPut(Interlocked.Increment(ref _chunkPuts)))
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
            if (session.IfAbsent && _objects.ContainsKey(session.Name))
            {
                await PreconditionFailedAsync(response);
                return;
            }
            if (hash is not null && !hash.Contains(ExpectedHash(session.Data), StringComparison.Ordinal))
            {
                // GCS checks a CRC32C the client sends with its last chunk against what it stored.
                response.StatusCode = 400;
                await response.WriteAsJsonAsync(new { error = new { code = 400, message = "Provided CRC32C does not match the calculated one." } });
                return;
            }
            _objects[session.Name] = session.Data.ToArray();
            session.Finished = true;
            if (LoseNextFinishAnswer)
            {
                LoseNextFinishAnswer = false;
                response.StatusCode = 503;
                return;
            }
            await FinishedAsync(session, response);
            return;
        }
        response.StatusCode = 308;
        if (session.Data.Length > 0)
            response.Headers["Range"] = $"bytes=0-{session.Data.Length - 1}";
    }

    private static string ExpectedHash(MemoryStream data)
    {
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32C.Compute(data.GetBuffer().AsSpan(0, (int)data.Length)));
        return "crc32c=" + Convert.ToBase64String(crc);
    }

    private static byte[] Metadata(HttpRequest request, byte[] body)
    {
        if (request.Headers.ContentEncoding != "gzip")
            return body;
        using var unzipped = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress))
            gzip.CopyTo(unzipped);
        return unzipped.ToArray();
    }

    private static Task FinishedAsync(Session session, HttpResponse response) =>
        response.WriteAsJsonAsync(new { kind = "storage#object", name = session.Name, bucket = "bucket-1", size = session.Data.Length.ToString() });

    private static async Task PreconditionFailedAsync(HttpResponse response)
    {
        response.StatusCode = 412;
        await response.WriteAsJsonAsync(new { error = new { code = 412, message = "At least one of the pre-conditions you specified did not hold." } });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(@"^bytes (?:(?<from>\d+)-(?<to>\d+)|\*)/(?<total>\d+|\*)$")]
    private static partial Regex ContentRangePattern();
}
