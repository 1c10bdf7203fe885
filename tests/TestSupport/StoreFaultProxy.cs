using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace ReplicaSync.TestSupport;

/// <summary>
/// An HTTP proxy on 127.0.0.1 in front of a storage emulator that answers a random share of requests itself, from a
/// seed, with a failure in the store's own words (<see cref="StoreDialect"/>: 500, 503 throttling, GCS's 429).
/// Everything else is forwarded as the client sent it: the raw request target (never decoded and re-escaped, which
/// breaks Shared Key signatures over escaped names), every header including Host (so an emulator that builds absolute
/// URLs from Host, as the GCS emulator does for resumable-upload sessions, points the client back at the proxy), and
/// the body as a stream. In front of the GCS emulator it also answers resumable-upload status queries, which the
/// emulator gets wrong (<see cref="UploadStatusLedger"/>).
/// </summary>
public sealed class StoreFaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly string _target;
    private readonly StoreDialect _dialect;
    private readonly UploadStatusLedger? _uploads;
    private long _faults;
    private long _forwarded;

    private StoreFaultProxy(WebApplication app, string upstream, StoreDialect dialect, double probability, int seed)
    {
        _app = app;
        _dialect = dialect;
        _uploads = dialect.ResumableUploads ? new UploadStatusLedger() : null;
        _target = upstream.TrimEnd('/');
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(5) };
        _random = new Random(seed);
        Probability = probability;
    }

    /// <summary>The proxy's address, to give the client instead of the emulator's.</summary>
    public string Endpoint { get; private set; } = "";
    /// <summary>The share of requests answered with a fault; may be changed while running (0 lets everything through).</summary>
    public double Probability { get; set; }
    public long Faults => Interlocked.Read(ref _faults);
    public long Forwarded => Interlocked.Read(ref _forwarded);
    /// <summary>Resumable-upload status queries the proxy answered itself instead of the emulator (see <see cref="UploadStatusLedger"/>).</summary>
    public long UploadStatusAnswers => _uploads?.Answered ?? 0;

    public static async Task<StoreFaultProxy> StartAsync(string upstream, StoreDialect dialect, double probability, int seed)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new StoreFaultProxy(app, upstream, dialect, probability, seed);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        proxy.Endpoint = app.Urls.First();
        return proxy;
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (Draw() is { } fault)
        {
            Interlocked.Increment(ref _faults);
            await _dialect.WriteAsync(http.Response, fault);
            return;
        }
        if (_uploads?.TryAnswer(http) == true)
            return;
        Interlocked.Increment(ref _forwarded);
        // The raw target, not Path + QueryString: those are decoded and re-escaped (c%3D1 becomes c=1), and Shared Key
        // signs the path as the client escaped it.
        var target = http.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), _target + target);
        // Content headers (an empty body's length and type too) are signed by the client: they must all pass through.
        if (http.Request.Headers.Keys.Any(h => h.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)) || http.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(http.Request.Body);
        foreach (var (name, values) in http.Request.Headers)
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        http.Response.StatusCode = (int)response.StatusCode;
        _uploads?.Record(http.Request, http.Response.StatusCode);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                http.Response.Headers[name] = values.ToArray();
        }
        await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private StoreDialect.Fault? Draw()
    {
        lock (_lock)
            return _random.NextDouble() < Probability ? _dialect.Faults[_random.Next(_dialect.Faults.Count)] : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
