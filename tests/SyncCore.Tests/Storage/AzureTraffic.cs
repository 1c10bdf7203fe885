using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// An HttpClient handler that records every request an Azure store sends and can answer some or all of them itself, as
/// Azure would, for what Azurite does not implement. The store's SDK client sends through it (an HttpClientTransport
/// over this handler), so what is recorded is the SDK's request after signing and retries. Unanswered requests go to the
/// real server.
/// </summary>
internal sealed class AzureTraffic : DelegatingHandler
{
    private int _blocksInFlight;

    public AzureTraffic(bool forward = true)
    {
        InnerHandler = forward ? new SocketsHttpHandler() : new Unreachable();
    }

    /// <summary>Answers a request instead of the server (return null to pass it on). Runs before it is recorded as in flight.</summary>
    public Func<HttpRequestMessage, Task<HttpResponseMessage?>>? Answer { get; set; }

    public ConcurrentQueue<Sent> Requests { get; } = new();

    public int MaxBlocksInFlight { get; private set; }

    public IEnumerable<Sent> PutBlocks => Requests.Where(r => r.IsPutBlock && !r.Headers.ContainsKey("x-ms-copy-source"));

    public IEnumerable<Sent> BlockCopies => Requests.Where(r => r.IsPutBlock && r.Headers.ContainsKey("x-ms-copy-source"));

    public IEnumerable<Sent> BlockLists => Requests.Where(r => r.Method == HttpMethod.Put && r.Uri.Query.Contains("comp=blocklist", StringComparison.Ordinal));

    public IEnumerable<Sent> PutBlobs => Requests.Where(r => r.Method == HttpMethod.Put && r.Uri.Query.Length == 0);

    public static HttpResponseMessage Respond(HttpStatusCode status, string? code = null, string? message = null, string? body = null, long? contentLength = null)
    {
        var response = new HttpResponseMessage(status);
        if (code is not null)
        {
            response.Headers.TryAddWithoutValidation("x-ms-error-code", code);
            body ??= $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message ?? code}\nRequestId:00000000-0000</Message></Error>";
        }
        response.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? ""));
        if (contentLength is { } length)
            response.Content.Headers.ContentLength = length;
        return response;
    }

    /// <summary>The part index encoded in a block id of ours (<c>{write id}-{index:D6}</c>).</summary>
    public static int BlockIndex(string blockId) => int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(blockId)).Split('-')[1]);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var sent = Sent.From(request);
        Requests.Enqueue(sent);
        if (Answer is not null && await Answer(request) is { } answer)
            return answer;
        if (!sent.IsPutBlock)
            return await base.SendAsync(request, ct);
        var now = Interlocked.Increment(ref _blocksInFlight);
        lock (this)
            MaxBlocksInFlight = Math.Max(MaxBlocksInFlight, now);
        try
        {
            return await base.SendAsync(request, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _blocksInFlight);
        }
    }

    /// <summary>One request as sent: method, URL, request and content headers.</summary>
    public sealed record Sent(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers)
    {
        public bool IsPutBlock => Method == HttpMethod.Put && Uri.Query.Contains("comp=block&", StringComparison.Ordinal);

        public string BlockId => Uri.UnescapeDataString(Uri.Query.Split("blockid=")[1].Split('&')[0]);

        public string? Header(string name) => Headers.GetValueOrDefault(name);

        public static Sent From(HttpRequestMessage request)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in request.Headers)
                headers[name] = string.Join(',', values);
            if (request.Content is { } content)
            {
                foreach (var (name, values) in content.Headers)
                    headers[name] = string.Join(',', values);
            }
            return new Sent(request.Method, request.RequestUri!, headers);
        }
    }

    private sealed class Unreachable : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            throw new InvalidOperationException($"the fake did not answer {request.Method} {request.RequestUri}");
    }
}
