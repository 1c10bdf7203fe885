using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using ReplicaSync.Sharing;

namespace ReplicaSync.Sync.Copy;

/// <summary>
/// Opens GETs (whole or ranged) on a file's pre-signed URL: retries 429, 5xx, resets and header timeouts with
/// exponential backoff and jitter; a 403 re-issues the URL once; any other refusal is a clear, secret-free error.
/// </summary>
internal sealed class SourceReader
{
    private readonly HttpClient _http;
    private readonly SyncOptions _options;
    private readonly ResiliencePipeline _retry;

    public SourceReader(HttpClient http, SyncOptions options)
    {
        _http = http;
        _options = options;
        _retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<IOException>()
                .Handle<TransientSourceException>().Handle<UrlRefreshedException>(),
            MaxRetryAttempts = options.MaxRetries,
            Delay = options.RetryBaseDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            // A re-issued URL is retried at once: nothing is wrong with the provider. So is a first request the server
            // closed before answering: HTTP/1.0 servers (python's http.server) close every connection after a response,
            // and the pool may hand one out before its close arrives; the retry goes out on a new connection.
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                args.Outcome.Exception is UrlRefreshedException || (args.AttemptNumber == 0 && ClosedBeforeAnswering(args.Outcome.Exception))
                    ? TimeSpan.Zero
                    : null),
            OnRetry = args =>
            {
                if (args.Outcome.Exception is not UrlRefreshedException)
                    options.Observer.Retried(ReasonOf(args.Outcome.Exception));
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    public SyncOptions Options => _options;

    private static bool ClosedBeforeAnswering(Exception? e) => e is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded };

    /// <summary>A short, secret-free retry reason for the observer.</summary>
    public static string ReasonOf(Exception? e) => e switch
    {
        TransientSourceException t => t.Reason,
        HttpRequestException or IOException => "reset",
        _ => "other",
    };

    /// <summary>
    /// Opens bytes [<paramref name="offset"/>, <paramref name="end"/>) of the file (to its end when
    /// <paramref name="end"/> is null). <see cref="SourceBody.Ranged"/> is false when the server sent the whole file.
    /// </summary>
    public Task<SourceBody> OpenAsync(UrlHandle source, long offset, long? end, long? size, string what, CancellationToken ct) =>
        _retry.ExecuteAsync(async token => await OpenOnceAsync(source, offset, end, size, what, token), ct).AsTask();

    private async Task<SourceBody> OpenOnceAsync(UrlHandle source, long offset, long? end, long? size, string what, CancellationToken ct)
    {
        var url = await source.UrlAsync(ct);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new SyncException($"{what}: the provider's URL {UrlRedactor.Redact(url)} is not an absolute http(s) URL");
        var wantsRange = offset > 0 || (end is { } e && e != size);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = _http.DefaultRequestVersion, VersionPolicy = _http.DefaultVersionPolicy };
        if (wantsRange)
            request.Headers.Range = new RangeHeaderValue(offset, end - 1);
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(ct);
        headers.CancelAfter(_options.ReadIdleTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TransientSourceException("timeout", $"{what}: no response headers within {_options.ReadIdleTimeout.TotalSeconds:0.#} s");
        }
        try
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                if (await source.RefreshAfterForbiddenAsync(url, ct))
                    throw new UrlRefreshedException();
                throw new SyncException($"{what}: the provider refused its URL {UrlRedactor.Redact(url)} with 403 even after the URL was re-issued " +
                                        "(expired, revoked, or the share no longer grants it)");
            }
            if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
                throw new TransientSourceException(status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"{what}: {status} from {UrlRedactor.Redact(url)}");
            if (response.StatusCode == HttpStatusCode.PartialContent)
                CheckContentRange(response, offset, size, what);
            else if (response.StatusCode == HttpStatusCode.OK && size is { } announced && response.Content.Headers.ContentLength is { } served && served != announced)
                throw new SyncException($"{what}: the provider announced {announced} bytes but its URL serves {served}");
            else if (response.StatusCode != HttpStatusCode.OK)
                throw new SyncException($"{what}: the provider's URL {UrlRedactor.Redact(url)} answered {status} {response.ReasonPhrase}");
            source.Accepted();
            var body = await response.Content.ReadAsStreamAsync(ct);
            return new SourceBody(response, body, response.StatusCode == HttpStatusCode.PartialContent);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static void CheckContentRange(HttpResponseMessage response, long offset, long? size, string what)
    {
        var range = response.Content.Headers.ContentRange;
        if (range?.From != offset)
            throw new SyncException($"{what}: asked for bytes from {offset} but the server sent a range starting at {range?.From?.ToString() ?? "(none)"}");
        if (size is { } announced && range.Length is { } total && total != announced)
            throw new SyncException($"{what}: the provider announced {announced} bytes but its URL serves {total}");
    }
}

/// <summary>An open response body; <see cref="Ranged"/> says whether it starts at the offset asked for (206) or at 0 (200).</summary>
internal sealed record SourceBody(HttpResponseMessage Response, Stream Stream, bool Ranged) : IDisposable
{
    public void Dispose()
    {
        Stream.Dispose();
        Response.Dispose();
    }
}

/// <summary>A failure worth retrying (429, 5xx, a timeout); <see cref="Reason"/> is short and secret-free.</summary>
internal sealed class TransientSourceException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}

/// <summary>The URL was refused but has just been re-issued: retry at once with the new one.</summary>
internal sealed class UrlRefreshedException() : Exception("the file URL was re-issued");
