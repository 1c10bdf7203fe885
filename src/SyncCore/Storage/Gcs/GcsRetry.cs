using System.Net;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// Our own retries, for the calls the Google client leaves alone: reads through its HTTP client, and uploads it gave up
/// on (it resumes a session after a 5xx, but a 429 or a failed session start ends the upload).
/// </summary>
internal static class GcsRetry
{
    /// <summary>Answers GCS documents as worth retrying with back-off: 408, 429 (throttling) and 5xx.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Waits before attempt <paramref name="attempt"/> + 1: the base delay doubled per attempt, with jitter.</summary>
    public static Task DelayAsync(GcsStoreOptions options, int attempt, CancellationToken ct) =>
        Task.Delay(options.RetryBaseDelay * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()), ct);
}
