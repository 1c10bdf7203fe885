using System.Net;
using System.Net.Http.Headers;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// Sends JSON-API requests with a fresh bearer token each time and retries transient failures (network errors,
/// 408, 429, 5xx) with doubling delays when the request may safely be repeated.
/// </summary>
internal sealed class GcsHttp(HttpClient http, IGcsTokenSource tokens, GcsStoreOptions options)
{
    public GcsStoreOptions Options => options;

    /// <summary>Sends what <paramref name="build"/> makes (again on each attempt); the caller owns and checks the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, string operation, string target, bool retry, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        for (var attempt = 1; ; attempt++)
        {
            var again = retry && attempt < options.MaxAttempts;
            HttpResponseMessage response;
            try
            {
                response = await SendOnceAsync(build, operation, target, completion, ct);
            }
            catch (Exception e) when (IsTransport(e, ct) && again)
            {
                await DelayAsync(attempt, ct);
                continue;
            }
            catch (Exception e) when (IsTransport(e, ct))
            {
                throw GcsErrors.FromTransport(e, operation, target);
            }
            if (again && IsTransient(response.StatusCode))
            {
                response.Dispose();
                await DelayAsync(attempt, ct);
                continue;
            }
            return response;
        }
    }

    /// <summary>One attempt, with the Authorization header when the token source gives a token.</summary>
    public async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> build, string operation, string target, HttpCompletionOption completion, CancellationToken ct)
    {
        string? token;
        try
        {
            token = await tokens.GetTokenAsync(ct);
        }
        catch (GcsStoreException e)
        {
            throw new GcsStoreException($"GCS {operation} of {target} failed: {e.Message}", e.Status);
        }
        using var request = build();
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, completion, ct);
    }

    public Task DelayAsync(int attempt, CancellationToken ct) =>
        Task.Delay(options.RetryBaseDelay * Math.Pow(2, attempt - 1), ct);

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>A network failure or client timeout, as opposed to the caller cancelling.</summary>
    public static bool IsTransport(Exception e, CancellationToken ct) =>
        e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested);
}
