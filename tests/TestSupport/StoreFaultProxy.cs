using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReplicaSync.TestSupport;

/// <summary>
/// An HTTP proxy on 127.0.0.1 in front of a storage emulator that answers a random share of requests itself, from a
/// seed: 500 InternalError, 503 SlowDown (S3's throttling answer), or 503 ServerBusy (Azure's). Everything else is
/// forwarded unchanged, so the client under test sees a store that fails and throttles now and then.
/// </summary>
public sealed class StoreFaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly string _target;
    private long _faults;
    private long _forwarded;

    private StoreFaultProxy(WebApplication app, string upstream, double probability, int seed)
    {
        _app = app;
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

    public static async Task<StoreFaultProxy> StartAsync(string upstream, double probability, int seed)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new StoreFaultProxy(app, upstream, probability, seed);
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
            http.Response.StatusCode = fault.Status;
            http.Response.ContentType = "application/xml";
            await http.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{fault.Code}</Code><Message>injected by the test proxy</Message></Error>");
            return;
        }
        Interlocked.Increment(ref _forwarded);
        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), _target + http.Request.Path + http.Request.QueryString);
        // Content headers (an empty body's length and type too) are signed by the client: they must all pass through.
        if (http.Request.Headers.Keys.Any(h => h.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)) || http.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(http.Request.Body);
        foreach (var (name, values) in http.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        http.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                http.Response.Headers[name] = values.ToArray();
        }
        await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private (int Status, string Code)? Draw()
    {
        lock (_lock)
        {
            if (_random.NextDouble() >= Probability)
                return null;
            return _random.Next(3) switch
            {
                0 => ((int)HttpStatusCode.InternalServerError, "InternalError"),
                1 => ((int)HttpStatusCode.ServiceUnavailable, "SlowDown"),
                _ => ((int)HttpStatusCode.ServiceUnavailable, "ServerBusy"),
            };
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
