using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ReplicaSync.Storage.Azure;

/// <summary>How far a request may be retried: what is safe depends on the operation, not on the client.</summary>
internal enum AzureRetry
{
    /// <summary>Idempotent: the SDK's rules (throttling, 5xx, timeouts, connection failures).</summary>
    Always,

    /// <summary>Not idempotent (put-if-absent): only what Azure certainly did not apply (429, 503, connection never made).</summary>
    IfNotApplied,

    /// <summary>The body is a caller's stream and cannot be sent twice.</summary>
    Never,
}

/// <summary>
/// The SDK's retry policy (exponential back-off from <see cref="RetryOptions"/>), narrowed per request: a request made
/// inside <see cref="Scope"/> carries its <see cref="AzureRetry"/> rule, so one client serves every operation.
/// </summary>
internal sealed class AzureRetryPolicy(RetryOptions options)
    : RetryPolicy(options.MaxRetries, DelayStrategy.CreateExponentialDelayStrategy(options.Delay, options.MaxDelay))
{
    private const string Property = "ReplicaSync.AzureRetry";

    /// <summary>Requests created before the returned scope is disposed follow <paramref name="rule"/>.</summary>
    public static IDisposable Scope(AzureRetry rule) =>
        HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [Property] = rule });

    protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
        base.ShouldRetry(message, exception) && Allows(message, exception);

    protected override async ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
        await base.ShouldRetryAsync(message, exception) && Allows(message, exception);

    private static bool Allows(HttpMessage message, Exception? exception)
    {
        var rule = message.TryGetProperty(Property, out var value) && value is AzureRetry r ? r : AzureRetry.Always;
        return rule switch
        {
            AzureRetry.Always => true,
            AzureRetry.IfNotApplied => exception is null
                ? message.HasResponse && message.Response.Status is (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.ServiceUnavailable
                : NeverSent(exception),
            _ => false,
        };
    }

    /// <summary>Failures before the request could have reached the server.</summary>
    private static bool NeverSent(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                    or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError })
                return true;
        }
        return false;
    }
}
