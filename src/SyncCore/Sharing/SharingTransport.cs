using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;

namespace ReplicaSync.Sharing;

/// <summary>Sends authenticated requests with retries up to the response headers, and maps error statuses to exceptions.</summary>
internal sealed class SharingTransport : IDisposable
{
    private readonly SharingProfile _profile;
    private readonly SharingClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public SharingTransport(SharingProfile profile, HttpClient? http, SharingClientOptions options)
    {
        _profile = profile;
        _options = options;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient();
        _pipeline = BuildPipeline(options);
        Scrubber = new SecretScrubber(profile.BearerToken);
        BaseUrl = profile.Endpoint.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>The endpoint without a trailing '/', to which <c>/shares/…</c> paths are appended.</summary>
    public string BaseUrl { get; }

    public SecretScrubber Scrubber { get; }

    /// <summary>"GET https://host/path" without the query, for messages.</summary>
    public static string Describe(HttpMethod method, string url) => $"{method} {UrlRedactor.Redact(url)}";

    /// <summary>
    /// Sends the request built by <paramref name="configure"/> (called again for every attempt, since a request message can be
    /// sent only once) and returns the successful response with its body unread. 429, 5xx and connection failures are retried;
    /// a failure while the caller reads the body is not, because lines may already have been consumed.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, Action<HttpRequestMessage>? configure, CancellationToken ct)
    {
        var what = Describe(method, url);
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                var request = new HttpRequestMessage(method, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _profile.BearerToken);
                request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
                configure?.Invoke(request);
                return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested)
        {
            throw new SharingException($"{what}: request failed after {attempts} attempt(s): {Scrubber.Scrub(e.Message)}", e);
        }
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
            throw await SharingErrorReader.ReadAsync(response, what, attempts, _profile, Scrubber, ct).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(SharingClientOptions options)
    {
        if (options.MaxRetries == 0)
            return ResiliencePipeline<HttpResponseMessage>.Empty;
        var retry = new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: { } e } => IsTransient(e),
                { Result: { } r } => IsRetryable(r.StatusCode),
                _ => false,
            }),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxDelay)),
            OnRetry = args =>
            {
                // The failed response is dropped; release its connection before waiting.
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        };
        return new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(retry).Build();
    }

    private static bool IsRetryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Connection-level failures, including HttpClient's own timeout (a cancellation whose inner exception is a timeout).</summary>
    private static bool IsTransient(Exception e) =>
        e is HttpRequestException or IOException || e is TaskCanceledException { InnerException: TimeoutException };

    /// <summary>The server's Retry-After (seconds or a date) capped at <paramref name="max"/>; null lets the backoff decide.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is not { } delay)
            return null;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > max ? max : delay;
    }
}
