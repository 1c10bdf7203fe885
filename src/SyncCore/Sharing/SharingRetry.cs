using System.Net;
using Polly;
using Polly.Retry;

namespace ReplicaSync.Sharing;

/// <summary>The retry policy of every request to a provider (sharing server and token endpoint): 429, 5xx and connection failures.</summary>
internal static class SharingRetry
{
    public static ResiliencePipeline<HttpResponseMessage> Build(SharingClientOptions options)
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

    /// <summary>Connection-level failures, including HttpClient's own timeout (a cancellation whose inner exception is a timeout).</summary>
    public static bool IsTransient(Exception e) =>
        e is HttpRequestException or IOException || e is TaskCanceledException { InnerException: TimeoutException };

    private static bool IsRetryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

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
